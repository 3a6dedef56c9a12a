extension Canvas {
    /// Releases the resident pages of a canvas that lives in a mapped file (a no-op in memory):
    /// passes over a whole level call it after each row of tiles to keep memory bounded.
    /// - Throws: `PipelineStoreError.io` when `madvise` fails.
    func releasePagesIfMapped() throws {
        try (self as? CanvasFile)?.releaseResidentPages()
    }
}
