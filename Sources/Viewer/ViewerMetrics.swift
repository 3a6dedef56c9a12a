import CoreMetrics  // swift-metrics' API (the Metrics product re-exports it)
import Foundation
import Metrics
import Prometheus

/// What the viewer counts, through swift-metrics into its own Prometheus registry (not the
/// process-wide `MetricsSystem`, which can be bootstrapped once only and belongs to the program),
/// and the text `/metrics` answers with.
public final class ViewerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    let tilesMade: CoreMetrics.Counter
    let tilesFromCache: CoreMetrics.Counter
    let notModified: CoreMetrics.Counter
    let bytesOut: CoreMetrics.Counter
    let tileSeconds: CoreMetrics.Timer
    private let residentBytes: CoreMetrics.Gauge
    private let peakResidentBytes: CoreMetrics.Gauge

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
        tilesMade = CoreMetrics.Counter(label: "atelier_viewer_tiles_made_total", factory: factory)
        tilesFromCache = CoreMetrics.Counter(label: "atelier_viewer_tiles_cached_total", factory: factory)
        notModified = CoreMetrics.Counter(label: "atelier_viewer_not_modified_total", factory: factory)
        bytesOut = CoreMetrics.Counter(label: "atelier_viewer_bytes_out_total", factory: factory)
        tileSeconds = CoreMetrics.Timer(label: "atelier_viewer_tile_seconds", factory: factory)
        residentBytes = CoreMetrics.Gauge(label: "atelier_viewer_resident_bytes", factory: factory)
        peakResidentBytes = CoreMetrics.Gauge(label: "atelier_viewer_peak_resident_bytes", factory: factory)
    }

    /// Counts one answered request by its route and status.
    func countRequest(route: String, status: Int) {
        CoreMetrics.Counter(
            label: "atelier_viewer_requests_total", dimensions: [("route", route), ("status", String(status))],
            factory: factory
        ).increment()
    }

    /// The registry in Prometheus's text format, with the process's memory read now.
    func exposition() -> String {
        let memory = ProcessMemory.current()
        residentBytes.record(memory.resident)
        peakResidentBytes.record(memory.peakResident)
        return registry.emitToString()
    }
}

/// The process's resident set now and at its peak (`VmRSS`, `VmHWM` of /proc/self/status), in bytes.
public enum ProcessMemory {
    public static func current() -> (resident: Int, peakResident: Int) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func kibibytes(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return (Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") ?? 0) * 1024
        }
        return (kibibytes("VmRSS"), kibibytes("VmHWM"))
    }
}
