/** Port: which patients (by opaque scope) are on a physician's panel, managed by the admin role. */

export interface PanelDirectory {
  readonly name: string;
  isOnPanel(userId: string, patientScope: string): Promise<boolean>;
  list(userId: string): Promise<string[]>;
  add(userId: string, patientScope: string, addedBy: string): Promise<void>;
  /** Resolves false when the patient was not on the panel. */
  remove(userId: string, patientScope: string): Promise<boolean>;
}
