import Foundation
import Tensor

extension BLASKernel {
    /// Prints this process's kernel warning (an older kernel on a wider CPU), if any, as one
    /// `atelier:` line on standard error.
    static func warnOfFallback() {
        guard let warning = current.warning else { return }
        FileHandle.standardError.write(Data("atelier: \(warning)\n".utf8))
    }
}
