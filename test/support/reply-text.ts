import type { Block, Reply } from '../../src/bot/reply.js';

/** Every piece of text a person can read in a reply: title, summary, blocks, buttons, file titles. */
export function readableTexts(reply: Reply): string[] {
  return [
    reply.title,
    reply.summary,
    ...reply.blocks.flatMap(blockTexts),
    ...reply.actions.map((button) => button.label),
    ...reply.attachments.map((file) => file.title ?? file.filename),
  ];
}

function blockTexts(block: Block): string[] {
  switch (block.type) {
    case 'text': return [block.text];
    case 'list': return block.items;
    case 'fields': return block.fields.flatMap((field) => [field.label, field.value]);
    case 'table': return [...block.columns.map((column) => column.label), ...block.rows.flatMap((row) => row.map((cell) => cell.text)), ...(block.caption ? [block.caption] : [])];
    case 'chart': return [block.title, block.alt];
    case 'divider': return [];
  }
}
