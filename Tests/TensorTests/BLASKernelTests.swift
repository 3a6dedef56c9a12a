import XCTest

@testable import Tensor

/// The kernel report: the CPU's vector extensions read from /proc/cpuinfo's flags, and the
/// warning when OpenBLAS runs a kernel narrower than those vectors.
final class BLASKernelTests: XCTestCase {
    private static let cpuinfo = """
        processor\t: 0
        vendor_id\t: GenuineIntel
        flags\t\t: fpu vme sse2 avx avx2 fma avx512f avx512bw amx_bf16 amx_tile amx_int8
        processor\t: 1
        flags\t\t: fpu

        """

    func testTheExtensionsComeFromTheFirstFlagsLine() {
        XCTAssertEqual(BLASKernel.vectorExtensions(inCPUInfo: Self.cpuinfo), ["avx2", "avx512f", "amx"])
        XCTAssertEqual(BLASKernel.vectorExtensions(inCPUInfo: "flags\t: fpu avx avx2\n"), ["avx2"])
        // "avx512fp16" alone is not avx512f; a text without flags names nothing.
        XCTAssertEqual(BLASKernel.vectorExtensions(inCPUInfo: "flags : avx512fp16 sse4_2\n"), [])
        XCTAssertEqual(BLASKernel.vectorExtensions(inCPUInfo: "model name : x\n"), [])
        XCTAssertEqual(BLASKernel.vectorExtensions(inCPUInfo: ""), [])
    }

    func testAnOlderKernelOnAWideCPUIsWarnedOfWithTheVariable() throws {
        let fallback = BLASKernel(core: "Prescott", vectorExtensions: ["avx2"])
        let warning = try XCTUnwrap(fallback.warning)
        XCTAssertTrue(warning.contains("Prescott") && warning.contains("OPENBLAS_CORETYPE=Haswell"), warning)
        XCTAssertFalse(warning.contains("\n"))
        let wide = BLASKernel(core: "Sandybridge", vectorExtensions: ["avx2", "avx512f"])
        XCTAssertTrue(wide.warning?.contains("OPENBLAS_CORETYPE=SkylakeX") ?? false, wide.warning ?? "no warning")
        for core in ["Zen", "Haswell", "SkylakeX", "COOPERLAKE", "SapphireRapids"] {
            XCTAssertNil(BLASKernel(core: core, vectorExtensions: ["avx2", "avx512f"]).warning, core)
        }
        // No AVX2 on the CPU: an older kernel is the right one.
        XCTAssertNil(BLASKernel(core: "Core2", vectorExtensions: []).warning)
        XCTAssertEqual(BLASKernel(core: "Zen", vectorExtensions: ["avx2"]).description, "Zen (avx2)")
        XCTAssertEqual(BLASKernel(core: "Core2", vectorExtensions: []).description, "Core2")
    }

    /// This process's kernel has OpenBLAS's name for it.
    func testTheCurrentKernelIsNamed() {
        XCTAssertFalse(BLASKernel.current.core.isEmpty)
        XCTAssertTrue(BLASKernel.current.description.hasPrefix(BLASKernel.current.core))
    }
}
