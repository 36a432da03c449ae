/** Port: a short, PHI-free notice to the privacy officer (an incident was reported, a review is due). */

export interface Notifier {
  readonly name: string;
  /** `subject` and `message` carry ids, kinds and links only, never PHI: the channel is e-mail. */
  notify(subject: string, message: string): Promise<void>;
}
