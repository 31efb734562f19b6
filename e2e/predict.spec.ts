import { expect, test, type Page } from '@playwright/test';
import { button, failOnConsoleErrors, noSeriousAxeViolations, open, replica, stepAndWait } from './helpers';

const panel = (page: Page) => page.getByRole('region', { name: 'Predict' });
/** The answer targets over the replicas: checkboxes (a set of replicas) or radio buttons (one replica). */
const answers = (page: Page) => page.locator('svg.graph [aria-label^="The room’s answer on the graph"]');
const target = (page: Page, id: number) => answers(page).locator(`[role="checkbox"], [role="radio"]`).and(page.getByLabel(`Answer: replica ${id}`, { exact: true }));

test.describe('Predict mode', () => {
  failOnConsoleErrors();

  test('a Predict round: a question, the answer clicked on the graph, Reveal plays the phase, the verdict says why', async ({ page }) => {
    await open(page);
    const toggle = button(page, 'Predict');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(panel(page)).toContainText('Nothing to predict before this phase');

    // The client's REQUEST goes out, then reaches the primary: the PRE-PREPAREs are next, and so is a question.
    await stepAndWait(page, 'Next phase');
    await stepAndWait(page, 'Next phase');
    await expect(panel(page)).toContainText('Which replicas will send a PREPARE for request 1 (#1) once the PRE-PREPAREs have arrived?');
    await noSeriousAxeViolations(page, 'the Predict panel with a question open');

    // The room's answer, clicked on the graph (the Click switch says Malicious: the answer mode does not fight it).
    for (const id of [1, 2, 3]) await target(page, id).click();
    await expect(target(page, 0)).toHaveAttribute('aria-checked', 'false');
    for (const id of [1, 2, 3]) await expect(target(page, id)).toHaveAttribute('aria-checked', 'true');
    await expect(replica(page, 1)).not.toHaveAttribute('aria-label', /malicious/);
    // From the keyboard too: Space on a target takes replica 3 out again, its number puts it back.
    await target(page, 3).focus();
    await page.keyboard.press('Space');
    await expect(target(page, 3)).toHaveAttribute('aria-checked', 'false');
    await page.locator('body').focus();
    await page.keyboard.press('3');
    await expect(target(page, 3)).toHaveAttribute('aria-checked', 'true');
    await expect(panel(page)).toContainText('Room’s answer: Replicas 1, 2 and 3.');

    const scrubber = page.getByRole('slider', { name: 'Time' });
    const before = await scrubber.getAttribute('aria-valuetext');
    await panel(page).getByRole('button', { name: 'Reveal', exact: true }).click();
    // The phase played (as Next phase does): the PREPAREs are on the wire.
    await expect(scrubber).not.toHaveAttribute('aria-valuetext', before!);
    await expect(panel(page)).toContainText('✓ Right');
    await expect(panel(page)).toContainText('Replicas 1, 2 and 3 accepted the PRE-PREPARE for #1 and multicast PREPARE.');
    await expect(panel(page)).toContainText('Replica 0 is the primary: its PRE-PREPARE stands for its vote, so it sends no PREPARE.');
    await expect(panel(page)).toContainText('Score: 1 of 1');
    await noSeriousAxeViolations(page, 'the Predict panel with a verdict');

    // Continue, and the next question: who will be prepared. A wrong answer is called wrong, with the reason.
    await panel(page).getByRole('button', { name: 'Continue', exact: true }).click();
    await expect(panel(page)).toContainText('Which replicas will be prepared for request 1 (#1)');
    await page.keyboard.press('Shift+ArrowRight');
    await expect(panel(page)).toContainText('✗ Not quite');
    await expect(panel(page)).toContainText('Replicas 0, 1, 2 and 3 are prepared for #1: each holds the PRE-PREPARE and 2f = 2 matching PREPAREs.');
    await expect(panel(page)).toContainText('Score: 1 of 2');
  });

  test('in presentation mode and on a touch screen, the answer is tapped on the graph and the verdict shown', async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, hasTouch: true });
    const page = await context.newPage();
    await open(page, '?preset=silent-primary');
    await page.keyboard.press('p');
    await expect(page.locator('html')).toHaveAttribute('data-presentation', 'on');
    await button(page, 'Predict').tap();
    for (let k = 0; k < 12; k++) {
      if (await answers(page).count()) break;
      const text = (await panel(page).textContent()) ?? '';
      if (/Will a view change start/.test(text)) {
        await panel(page).getByRole('button', { name: 'Yes', exact: true }).tap();
        await panel(page).getByRole('button', { name: 'Reveal', exact: true }).tap();
        await expect(panel(page)).toContainText('✓ Right');
        await panel(page).getByRole('button', { name: 'Continue', exact: true }).tap();
        continue;
      }
      await stepAndWait(page, 'Next phase');
    }
    await expect(panel(page)).toContainText('Who will be the next primary?');
    await target(page, 1).tap();
    await expect(target(page, 1)).toHaveAttribute('aria-checked', 'true');
    await panel(page).getByRole('button', { name: 'Reveal', exact: true }).tap();
    await expect(panel(page)).toContainText('✓ Right');
    await expect(panel(page)).toContainText('Replica 1 leads view 1: the primary of view v is v mod n, and 1 mod 4 = 1.');
    await noSeriousAxeViolations(page, 'the Predict verdict in presentation mode');
    await context.close();
  });
});
