import Pipeline

/// The run directory's errors: asking for the wrong thing with it (resuming another job's run,
/// starting afresh over a run, a directory another coordinator holds) is a usage error (2); a
/// damaged or foreign checkpoint, canvas or tile file is a bad input file (3); a failing system call
/// or an impossible request is status 1.
extension PipelineStoreError: ClassifiedError {
    var exitStatus: ExitStatus {
        switch self {
        case .jobMismatch, .existingRun, .locked: return .usage
        case .corrupt, .unsupported: return .badInput
        case .io, .invalidRequest: return .failure
        }
    }
}
