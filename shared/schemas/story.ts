// Stories: the rich-text schema (which Tiptap extensions exist, so pasted HTML keeps
// structure and loses everything else) and the zod schema of a saved story.
import { getSchema, mergeAttributes, Node, type AnyExtension } from '@tiptap/core'
import type { Schema } from '@tiptap/pm/model'
import StarterKit from '@tiptap/starter-kit'
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import type { SupabaseClient } from '@supabase/supabase-js'
import * as Y from 'yjs'
import { z } from 'zod'
import { lifePeriods } from './lifeStory'

/** Only web and e-mail links may be stored or opened. */
export function isSafeLink(url: string) {
  return /^(https?:\/\/|mailto:)/i.test(url.trim())
}

/** A key in bucket "media" of the resident's albums (never an address on the web). */
export function isMediaPath(path: unknown): path is string {
  return typeof path === 'string' && /^[\w-]+(\/[\w.-]+)+$/.test(path) && !path.includes('..')
}

/**
 * An inline photo from the resident's albums. It stores the media item and the key of its
 * web-sized variant, never an address: the app shows it through a short-lived signed URL.
 * Only our own `img[data-media-path]` parses, so images pasted from elsewhere are dropped.
 */
export const StoryPhoto = Node.create({
  name: 'storyPhoto',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes() {
    return {
      mediaId: { default: null, parseHTML: el => el.getAttribute('data-media-id'), renderHTML: a => ({ 'data-media-id': a.mediaId }) },
      path: { default: null, parseHTML: el => el.getAttribute('data-media-path'), renderHTML: a => ({ 'data-media-path': a.path }) },
      alt: { default: '', parseHTML: el => el.getAttribute('alt') ?? '', renderHTML: a => ({ alt: a.alt }) },
    }
  },
  parseHTML() {
    return [{ tag: 'img[data-media-path]', getAttrs: el => isMediaPath(el.getAttribute('data-media-path')) ? null : false }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['img', mergeAttributes(HTMLAttributes, { class: 'story-photo' })]
  },
})

/** Options of the story's extensions. */
export interface StoryExtensionOptions {
  /** Collaborative editing brings its own undo history (Yjs), so Tiptap's is left out. */
  collaborative?: boolean
  /** The photo node as the editor shows it (a node view with a signed URL). */
  photo?: AnyExtension
}

/**
 * The extensions of a story: headings (levels 2–3), bold, italic, lists, quotes, links and
 * photos from the albums. Anything else in pasted HTML (scripts, styles, tables, images from
 * elsewhere, classes, event handlers) has no place in this schema, so ProseMirror's parser drops it.
 */
export function storyExtensions(options: StoryExtensionOptions = {}): AnyExtension[] {
  return [StarterKit.configure({
    heading: { levels: [2, 3] },
    code: false, codeBlock: false, horizontalRule: false, strike: false, underline: false,
    ...(options.collaborative ? { undoRedo: false } : {}),
    link: {
      openOnClick: false, autolink: true, protocols: ['mailto'], defaultProtocol: 'https',
      isAllowedUri: url => isSafeLink(url),
      HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
    },
  }), options.photo ?? StoryPhoto]
}

/** A story node as Tiptap stores it (ProseMirror JSON). */
export interface StoryNode {
  type: string
  text?: string
  attrs?: Record<string, unknown>
  marks?: { type: string, attrs?: Record<string, unknown> }[]
  content?: StoryNode[]
}

const nodeTypes = new Set(['doc', 'paragraph', 'text', 'heading', 'bulletList', 'orderedList', 'listItem', 'blockquote',
  'hardBreak', 'storyPhoto'])
const markTypes = new Set(['bold', 'italic', 'link'])

/** Whether a stored body uses only the story's nodes and marks, with safe links (checked before saving). */
export function isSafeStoryBody(node: StoryNode): boolean {
  if (!nodeTypes.has(node.type)) return false
  if (node.type === 'storyPhoto' && !isMediaPath(node.attrs?.path)) return false
  for (const mark of node.marks ?? []) {
    if (!markTypes.has(mark.type)) return false
    if (mark.type === 'link' && !isSafeLink(String(mark.attrs?.href ?? ''))) return false
  }
  return (node.content ?? []).every(isSafeStoryBody)
}

const storyNode: z.ZodType<StoryNode> = z.lazy(() => z.object({
  type: z.string(),
  text: z.string().optional(),
  attrs: z.record(z.string(), z.unknown()).optional(),
  marks: z.array(z.object({ type: z.string(), attrs: z.record(z.string(), z.unknown()).optional() })).optional(),
  content: z.array(storyNode).optional(),
}))

/** A story as saved: title, life period, the body as Tiptap JSON and as plain text. */
export const storySchema = z.object({
  title: z.string().trim().min(1, { error: 'lifeStory.errors.required' }).max(200, { error: 'lifeStory.errors.tooLong' }),
  life_period: z.union([z.literal('').transform(() => null), z.enum(lifePeriods)]).nullable().optional(),
  body: storyNode.refine(isSafeStoryBody, { error: 'lifeStory.errors.invalid' }),
  body_text: z.string().max(200_000, { error: 'lifeStory.errors.tooLong' }),
})
export type StoryInput = z.input<typeof storySchema>

// The collaborative text. Every browser and the server hold the story as a Yjs document
// whose XML fragment "default" is what Tiptap's Collaboration extension edits.
export const storyField = 'default'

let schema: Schema | undefined
function storyPmSchema() {
  schema ??= getSchema(storyExtensions())
  return schema
}

/**
 * The Yjs state of a story that has Tiptap JSON but no collaborative state yet (written
 * before stories were edited together). It is made by the fixed client id 0, so everyone
 * who seeds the same body makes the very same items, and Yjs merges them as one: two people
 * opening such a story at once never see its text twice. An empty body seeds nothing.
 */
export function seedStoryState(body: StoryNode): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = 0
  if (body.content?.length) prosemirrorJSONToYXmlFragment(storyPmSchema(), body, doc.getXmlFragment(storyField))
  return Y.encodeStateAsUpdate(doc)
}

/** Drops what a tampered document may hold but a story may not: unsafe links, photos from elsewhere. */
function sanitise(node: StoryNode): StoryNode | null {
  if (!nodeTypes.has(node.type)) return null
  if (node.type === 'storyPhoto' && !isMediaPath(node.attrs?.path)) return null
  const marks = node.marks?.filter(mark => markTypes.has(mark.type)
    && (mark.type !== 'link' || isSafeLink(String(mark.attrs?.href ?? ''))))
  const content = node.content?.map(sanitise).filter((child): child is StoryNode => child !== null)
  return { ...node, ...(marks ? { marks } : {}), ...(content ? { content } : {}) }
}

/** The story's Tiptap JSON as a Yjs document holds it, checked against the story's schema. */
export function storyBodyFromDoc(doc: Y.Doc): StoryNode {
  const root = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(storyField), storyPmSchema())
  return sanitise(root.toJSON() as StoryNode) ?? { type: 'doc', content: [] }
}

const textBlocks = new Set(['paragraph', 'heading'])

/** Plain text of a story body: one paragraph per block, for search, previews and print. */
export function storyPlainText(node: StoryNode): string {
  if (node.type === 'text') return node.text ?? ''
  if (node.type === 'hardBreak') return '\n'
  if (node.type === 'storyPhoto') return ''
  const children = (node.content ?? []).map(storyPlainText)
  return textBlocks.has(node.type) ? children.join('') : children.filter(Boolean).join('\n\n')
}

/**
 * The Yjs state a story opens from, in every browser and on the server alike: its stored
 * state, or its Tiptap JSON seeded as above. A contributor can write both past the app
 * (save_story_document, or their own row), so a state Yjs cannot read falls back to the
 * body, and a body with nodes a story does not have is cleaned first (as a save would);
 * otherwise one bad write would lock everyone out of the story for good.
 */
export function openingStoryState(stored: Uint8Array | null, body: StoryNode): Uint8Array {
  if (stored) {
    try {
      Y.applyUpdate(new Y.Doc(), stored)
      return stored
    }
    catch {
      // Unreadable: open from the body instead; the next save stores a readable state.
    }
  }
  try {
    return seedStoryState(sanitise(body) ?? { type: 'doc', content: [] })
  }
  catch {
    return seedStoryState({ type: 'doc', content: [] })
  }
}

/** Bytes as base64 (Yjs updates travel and are saved as base64 text). */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** Base64 text as bytes. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** A bytea column as PostgREST sends it ("\\x" and hex), as bytes; null stays null. */
export function fromByteaHex(value: string | null | undefined): Uint8Array | null {
  if (!value) return null
  const hex = value.startsWith('\\x') ? value.slice(2) : value
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

/** What a browser sends to save its changes: a Yjs update and whether its person wrote any of it. */
export const storySaveSchema = z.object({
  update: z.string().max(8_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/),
  authored: z.boolean().default(true),
  /** The person saw the health-information warning for this text and chose to keep it. */
  healthConfirmed: z.boolean().default(false),
})

/** Why a save did not happen: the story is gone or unseen, the person may only read, or the database failed. */
export class StorySaveError extends Error {
  constructor(readonly reason: 'missing' | 'not_allowed' | 'invalid' | 'busy' | 'unavailable', message: string) {
    super(message)
  }
}

/**
 * Merges a Yjs update into the stored state of a story and saves the result (state, Tiptap
 * JSON, plain text) with the caller's client, so RLS and save_story_document decide who may.
 * When someone else saved in between, the database refuses (40001) and it merges again.
 * Used by the app's server route and by the tests and benchmark that stand in for it.
 */
export async function mergeAndSaveStory(
  supabase: SupabaseClient, storyId: string, update: Uint8Array, authored: boolean, healthConfirmed = false,
) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { data: row, error } = await supabase.from('stories')
      .select('document_state, document_version, body').eq('id', storyId).maybeSingle()
    if (error) throw new StorySaveError('unavailable', `reading story ${storyId} failed: ${error.code} ${error.message}`)
    if (!row) throw new StorySaveError('missing', 'There is no such story.')

    const doc = new Y.Doc()
    // A story written before collaborative editing has JSON but no state: seed it the same
    // deterministic way the browsers do, so its text is there exactly once.
    Y.applyUpdate(doc, openingStoryState(fromByteaHex(row.document_state as string | null), row.body as StoryNode))
    try {
      Y.applyUpdate(doc, update)
    }
    catch {
      throw new StorySaveError('invalid', 'The changes could not be read.')
    }
    const body = storyBodyFromDoc(doc)
    if (!isSafeStoryBody(body)) throw new StorySaveError('invalid', 'The story holds something it may not.')

    let call = supabase.rpc('save_story_document', {
      story_id: storyId, document_state: toBase64(Y.encodeStateAsUpdate(doc)), body,
      body_text: storyPlainText(body), expected_version: Number(row.document_version), authored,
    })
    // The health-flag trigger reads this header (see 20261204120000_health_flags.sql).
    if (healthConfirmed) call = call.setHeader('x-health-confirmed', 'true')
    const { data: version, error: saveError } = await call
    if (saveError?.code === '40001') continue
    if (saveError?.code === '42501') throw new StorySaveError('not_allowed', 'You may read this story but not change it.')
    // The database checks the body too (20261205160000); the check above should catch it first.
    if (saveError?.code === '22023') throw new StorySaveError('invalid', 'The story holds something it may not.')
    if (saveError) throw new StorySaveError('unavailable', `saving story ${storyId} failed: ${saveError.code} ${saveError.message}`)
    return Number(version)
  }
  throw new StorySaveError('busy', 'Many are saving at once; trying again shortly.')
}
