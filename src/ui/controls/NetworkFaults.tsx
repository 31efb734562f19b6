import { partitionOf } from '../../sim/network';
import { replicaCount } from '../../sim/scenario';
import { useLab, useLabActions } from '../../store/context';
import { linkName, linkState, partitionSentence } from '../graph/networkWords';

/**
 * The partition and the faulty links as scenario settings: what stands now (what the link and a reset carry), with
 * Heal and a way back to normal for each link, and the way to change them from lists.
 */
export function NetworkFaults() {
  const scenario = useLab((s) => s.scenario);
  const { heal, setLinkFault, setPartitionDialog } = useLabActions();
  const n = replicaCount(scenario);
  const partition = partitionOf(scenario);
  const links = scenario.links ?? [];
  return (
    <div className="network-faults" role="group" aria-labelledby="network-faults-heading">
      <h3 id="network-faults-heading">Partition and links</h3>
      <p>
        <strong>Partition:</strong> {partition ? `${partitionSentence(n, partition.side, partition.rule)}.` : 'none.'}{' '}
        {partition && (
          <button type="button" className="small" onClick={heal}>
            Heal
          </button>
        )}
      </p>
      {links.length === 0 ? (
        <p>
          <strong>Faulty links:</strong> none.
        </p>
      ) : (
        <>
          <p>
            <strong>Faulty links:</strong>
          </p>
          <ul className="fault-list">
            {links.map((l) => (
              <li key={`${l.a}-${l.b}`}>
                {linkName(l.a, l.b)}: {linkState(l)}{' '}
                <button type="button" className="small" aria-label={`Make the link ${linkName(l.a, l.b)} normal`} onClick={() => setLinkFault(l.a, l.b, null)}>
                  Normal
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="hint">
        Draw them on the graph with <strong>Network tools</strong> (above it), or{' '}
        <button type="button" className="small" aria-label="By list: cut the network or set a link" onClick={() => setPartitionDialog(true)}>
          By list…
        </button>
      </p>
    </div>
  );
}
