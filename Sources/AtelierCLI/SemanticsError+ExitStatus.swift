import Semantics

/// Exit statuses of the DSS errors (DESIGN.md §7). Maps that are readable but unusable together
/// (no shared colour) or on their own (not colour-coded) are bad input files, 3: the fix is in the
/// files, and the message names them. A map without its partner is a usage error, 2: the fix is
/// on the command line.
extension SemanticsError: ClassifiedError {
    var exitStatus: ExitStatus {
        switch self {
        case .noSharedColours, .notColourCoded: return .badInput
        case .missingPartnerMap: return .usage
        }
    }
}
