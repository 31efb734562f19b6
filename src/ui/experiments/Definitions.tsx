/** The words of the results table, in one disclosure (closed by default: the table stays in view). */
export function Definitions() {
  return (
    <details className="exp-help panel">
      <summary>What do these mean?</summary>
      <dl>
        <dt>Success</dt>
        <dd>
          <strong>PBFT:</strong> the client accepted f + 1 matching replies for every request of the trial before the trial’s (virtual)
          timeout, and each result it accepted is one an honest replica computed when it executed the request. <strong>Seed mode</strong>{' '}
          uses the seed article’s own definition: every honest replica committed every request before the timeout. In both, a trial in
          which the client was fooled is not a success.
        </dd>
        <dt>Client fooled</dt>
        <dd>
          Trials in which the client accepted a result that no honest replica computed: no honest replica executed the request, or none
          got that result. f + 1 matching replies prove the result only while at most f replicas lie; with more, the liars can execute a
          request among themselves and answer alike (the checker judges this at the trial’s timeout).
        </dd>
        <dt>Agreement</dt>
        <dd>
          All honest replicas that committed a sequence number committed the same digest there (the checker’s verdict). It is trivially
          true when nobody committed anything, so a trial that timed out with no commit still counts as agreeing.
        </dd>
        <dt>Latency</dt>
        <dd>
          Virtual time from the client’s first send to its acceptance of the result (seed mode: to the last honest replica’s commit), over
          the successful trials only; ± is the 95 % confidence interval of the mean (Student’s t), p50 / p95 the median and 95th
          percentile.
        </dd>
        <dt>View changes / trial</dt>
        <dd>
          Views the honest replicas entered beyond the first, averaged over the trials: for PBFT the view the trial ended in, how many times
          they had to replace the primary (HotStuff moves to the next view with every decision too); for Tendermint the rounds beyond round
          0, summed over its heights.
        </dd>
        <dt>Messages / committed request</dt>
        <dd>Every message sent in the trials of that row, divided by the requests they completed.</dd>
        <dt>Same seeds</dt>
        <dd>
          Trial k at m draws its seed and its liars from (seed, n, m, k) alone: the same trial in seed mode and in PBFT has the same liars
          and the same network, so the two protocols are compared on identical runs.
        </dd>
      </dl>
    </details>
  );
}
