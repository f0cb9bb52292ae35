/**
 * The slice of the Adaptive Card 1.5 schema our renderer produces (adaptivecards.io/schemas/adaptive-card.json).
 * Property names follow the schema exactly, so these objects go out as they are.
 */
export interface TextBlockElement {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: 'Small' | 'Default' | 'Medium' | 'Large';
  weight?: 'Default' | 'Lighter' | 'Bolder';
  isSubtle?: boolean;
  color?: 'Default' | 'Attention' | 'Warning' | 'Good';
  separator?: boolean;
  spacing?: 'None' | 'Default' | 'Medium';
}

export interface FactSetElement { type: 'FactSet'; facts: { title: string; value: string }[]; separator?: boolean }

export interface ImageElement { type: 'Image'; url: string; altText: string; size?: 'Stretch'; separator?: boolean }

export interface TableCellElement { type: 'TableCell'; items: TextBlockElement[] }
export interface TableRowElement { type: 'TableRow'; cells: TableCellElement[] }
export interface TableElement {
  type: 'Table';
  columns: { width: number; horizontalCellContentAlignment?: 'Left' | 'Right' }[];
  rows: TableRowElement[];
  firstRowAsHeader: boolean;
  separator?: boolean;
}

export interface ActionSetElement { type: 'ActionSet'; actions: ExecuteAction[]; separator?: boolean }

export type CardElement = TextBlockElement | FactSetElement | ImageElement | TableElement | ActionSetElement;

/** What an Action.Submit fallback sends back as the message `value`. */
export interface SubmitData { verb: string; command: string }

export interface SubmitAction { type: 'Action.Submit'; title: string; data: SubmitData }

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: { command: string };
  style?: 'positive' | 'destructive';
  /** Clients without Universal Actions (card 1.4+) show the Submit instead. */
  fallback: SubmitAction;
}

/** A person named in the card's text as `<at>name</at>` (Teams: "Mention support within Adaptive Cards"). */
export interface MentionEntity { type: 'mention'; text: string; mentioned: { id: string; name: string } }

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: ExecuteAction[];
  fallbackText: string;
  /** Teams' own card properties: full message width, and the people the text mentions. */
  msteams: { width: 'Full'; entities?: MentionEntity[] };
}

/** Something sent beside the card: a picture Teams shows inline, or a file. */
export type SideAttachment = { contentType: string; contentUrl: string; name: string } | FileConsentCard;

/**
 * Asks the person in a personal chat to accept a file into their OneDrive; accepting sends a
 * `fileConsent/invoke` carrying the context back (Teams: "Send and receive files using bot").
 */
export interface FileConsentCard {
  contentType: 'application/vnd.microsoft.teams.card.file.consent';
  name: string;
  content: { description: string; sizeInBytes: number; acceptContext: { file: string }; declineContext: { file: string } };
}
