/**
 * Checks a chat.postMessage / chat.update payload against Block Kit's published limits, written out
 * here from Slack's reference pages (not imported from the renderer, so a wrong constant there fails).
 * Returns one line per violation; an empty list means Slack would accept the layout.
 */
export function blockKitViolations(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  const text = typeof message.text === 'string' ? message.text : '';
  if (text.length === 0) problems.push('no fallback text');
  if (text.length > 40_000) problems.push(`fallback text ${text.length} > 40000`);
  const blocks = Array.isArray(message.blocks) ? message.blocks as Record<string, unknown>[] : [];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks > 50`);
  if (JSON.stringify(blocks).length > 13_000) problems.push(`blocks JSON ${JSON.stringify(blocks).length} chars, msg_blocks_too_long territory`);
  const actionIds = new Set<string>();
  if (blocks.filter((block) => block.type === 'table').length > 1) problems.push('more than one table block in a message');
  blocks.forEach((block, index) => {
    const at = `block ${index} (${String(block.type)})`;
    const textOf = (value: unknown) => (value as { text?: string } | undefined)?.text ?? '';
    switch (block.type) {
      case 'header': {
        const headerText = textOf(block.text);
        if (headerText.length < 1 || headerText.length > 150) problems.push(`${at}: header text length ${headerText.length}`);
        break;
      }
      case 'section': {
        const fields = Array.isArray(block.fields) ? block.fields : [];
        if (block.text === undefined && fields.length === 0) problems.push(`${at}: neither text nor fields`);
        if (block.text !== undefined && (textOf(block.text).length < 1 || textOf(block.text).length > 3000)) problems.push(`${at}: text length ${textOf(block.text).length}`);
        if (fields.length > 10) problems.push(`${at}: ${fields.length} fields > 10`);
        for (const field of fields) if (textOf(field).length > 2000) problems.push(`${at}: field length ${textOf(field).length}`);
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length < 1 || elements.length > 10) problems.push(`${at}: ${elements.length} elements`);
        for (const element of elements) if (textOf(element).length > 3000) problems.push(`${at}: element length ${textOf(element).length}`);
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements as Record<string, unknown>[] : [];
        if (elements.length < 1 || elements.length > 25) problems.push(`${at}: ${elements.length} elements`);
        for (const element of elements) {
          const id = String(element.action_id ?? '');
          if (id.length === 0 || id.length > 255) problems.push(`${at}: action_id length ${id.length}`);
          if (actionIds.has(id)) problems.push(`${at}: duplicate action_id ${id}`);
          actionIds.add(id);
          if (textOf(element.text).length < 1 || textOf(element.text).length > 75) problems.push(`${at}: button text length ${textOf(element.text).length}`);
          if (typeof element.value === 'string' && element.value.length > 2000) problems.push(`${at}: button value length ${element.value.length}`);
        }
        break;
      }
      case 'table': {
        // docs.slack.dev/reference/block-kit/blocks/table-block: up to 100 rows of up to 20 cells, raw_text or rich_text.
        const rows = Array.isArray(block.rows) ? block.rows as unknown[][] : [];
        if (rows.length < 1 || rows.length > 100) problems.push(`${at}: ${rows.length} rows`);
        for (const row of rows) {
          if (!Array.isArray(row) || row.length < 1 || row.length > 20) problems.push(`${at}: a row of ${Array.isArray(row) ? row.length : 0} cells`);
          for (const cell of Array.isArray(row) ? row as Record<string, unknown>[] : []) {
            if (cell.type === 'raw_text' && (typeof cell.text !== 'string' || cell.text.length === 0)) problems.push(`${at}: empty raw_text cell`);
            else if (cell.type !== 'raw_text' && cell.type !== 'rich_text') problems.push(`${at}: cell of type ${String(cell.type)}`);
          }
        }
        const settings = Array.isArray(block.column_settings) ? block.column_settings : [];
        if (settings.length > 20) problems.push(`${at}: ${settings.length} column settings`);
        break;
      }
      case 'divider': break;
      default: problems.push(`${at}: unexpected block type`);
    }
  });
  return problems;
}
