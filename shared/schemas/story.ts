// Stories: the rich-text schema (which Tiptap extensions exist, so pasted HTML keeps
// structure and loses everything else) and the zod schema of a saved story.
import type { AnyExtension } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import { z } from 'zod'
import { lifePeriods } from './lifeStory'

/** Only web and e-mail links may be stored or opened. */
export function isSafeLink(url: string) {
  return /^(https?:\/\/|mailto:)/i.test(url.trim())
}

/**
 * The extensions of a story: headings (levels 2–3), bold, italic, lists, quotes, links.
 * Anything else in pasted HTML (scripts, styles, tables, images from elsewhere, classes,
 * event handlers) has no place in this schema, so ProseMirror's parser drops it.
 */
export function storyExtensions(): AnyExtension[] {
  return [StarterKit.configure({
    heading: { levels: [2, 3] },
    code: false, codeBlock: false, horizontalRule: false, strike: false, underline: false,
    link: {
      openOnClick: false, autolink: true, protocols: ['mailto'], defaultProtocol: 'https',
      isAllowedUri: url => isSafeLink(url),
      HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
    },
  })]
}

/** A story node as Tiptap stores it (ProseMirror JSON). */
export interface StoryNode {
  type: string
  text?: string
  attrs?: Record<string, unknown>
  marks?: { type: string, attrs?: Record<string, unknown> }[]
  content?: StoryNode[]
}

const nodeTypes = new Set(['doc', 'paragraph', 'text', 'heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'hardBreak'])
const markTypes = new Set(['bold', 'italic', 'link'])

/** Whether a stored body uses only the story's nodes and marks, with safe links (checked before saving). */
export function isSafeStoryBody(node: StoryNode): boolean {
  if (!nodeTypes.has(node.type)) return false
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
