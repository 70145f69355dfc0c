export interface Group {
  id: string;
  name: string;
  description: string;
  createdAt: string;
}

export interface GroupSummary extends Group {
  documentCount: number;
  /** Most recent `updatedAt` of the group's documents, if any. */
  lastEditedAt: string | null;
}
