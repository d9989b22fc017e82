import labelled from './labelled.json'

/** One sentence of the labelled set: whether it is health information, and in which language. */
export interface LabelledSentence {
  lang: 'nb' | 'nn' | 'en'
  health: boolean
  text: string
}

/** Precision, recall and F1 of a checker on the labelled set, with the sentences it got wrong. */
export interface HealthCheckScore {
  truePositives: number
  falsePositives: number
  trueNegatives: number
  falseNegatives: number
  precision: number
  recall: number
  f1: number
  missed: LabelledSentence[]
  falseAlarms: LabelledSentence[]
}

/** The labelled sentences, half health information, in bokmål, nynorsk and English. */
export const labelledSentences = labelled as LabelledSentence[]

/** Scores a list of flagged/not-flagged answers, given in the order of the sentences. */
export function scoreHealthCheck(
  sentences: LabelledSentence[],
  flagged: boolean[],
): HealthCheckScore {
  const missed = sentences.filter((s, i) => s.health && !flagged[i])
  const falseAlarms = sentences.filter((s, i) => !s.health && flagged[i])
  const truePositives = sentences.filter((s, i) => s.health && flagged[i]).length
  const trueNegatives = sentences.filter((s, i) => !s.health && !flagged[i]).length
  const precision = truePositives / (truePositives + falseAlarms.length || 1)
  const recall = truePositives / (truePositives + missed.length || 1)
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
  return {
    truePositives, falsePositives: falseAlarms.length, trueNegatives, falseNegatives: missed.length,
    precision, recall, f1, missed, falseAlarms,
  }
}
