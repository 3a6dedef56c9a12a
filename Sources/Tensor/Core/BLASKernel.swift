internal import CBLAS
import Foundation

/// The SGEMM kernel this process runs and the CPU's vector extensions: the bytes of a run are
/// the same on machines of the same CPU kind and kernel, and a kernel narrower than the CPU's
/// vectors (OpenBLAS falls back to one on CPUs newer than its build knows) is several times slower.
public struct BLASKernel: Equatable, Sendable, CustomStringConvertible {
    /// OpenBLAS's name for the kernel it chose for this CPU (`openblas_get_corename`): "Zen",
    /// "Haswell", "SkylakeX", or an older core's such as "Prescott" when it did not know the CPU.
    public let core: String
    /// Those of `known` extensions the CPU has, in that order.
    public let vectorExtensions: [String]

    /// The vector extensions worth naming: what decides whether a wider kernel exists.
    public static let known = ["avx2", "avx512f", "amx"]

    /// OpenBLAS's x86-64 kernels that use AVX2 or wider; any other on a CPU with AVX2 is a fallback.
    static let wideCores: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"]

    public init(core: String, vectorExtensions: [String]) {
        self.core = core
        self.vectorExtensions = vectorExtensions
    }

    /// This process's kernel and CPU (asked once).
    public static let current = BLASKernel(
        core: String(cString: openblas_get_corename()),
        vectorExtensions: vectorExtensions(
            inCPUInfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""))

    /// The `known` extensions among the flags of the first `flags` line of a `/proc/cpuinfo` text
    /// ("amx" for any of amx_tile, amx_bf16, amx_int8).
    public static func vectorExtensions(inCPUInfo text: String) -> [String] {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        return known.filter { name in name == "amx" ? flags.contains { $0.hasPrefix("amx_") } : flags.contains(name) }
    }

    /// "Zen (avx2)": the kernel, then the CPU's extensions.
    public var description: String {
        vectorExtensions.isEmpty ? core : "\(core) (\(vectorExtensions.joined(separator: ", ")))"
    }

    /// A one-line warning when OpenBLAS runs a pre-AVX2 kernel on a CPU with AVX2 or AVX-512, or nil.
    public var warning: String? {
        guard vectorExtensions.contains("avx2") || vectorExtensions.contains("avx512f"),
              !Self.wideCores.contains(core.lowercased()) else { return nil }
        let wider = vectorExtensions.contains("avx512f") ? "SkylakeX" : "Haswell"
        return "OpenBLAS runs its \(core) kernel on a CPU with \(vectorExtensions.joined(separator: ", ")): "
            + "products may be several times slower; set OPENBLAS_CORETYPE=\(wider) to choose a wider kernel"
    }
}
