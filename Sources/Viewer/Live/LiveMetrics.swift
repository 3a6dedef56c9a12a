import CoreMetrics
import Foundation
import Metrics
import Prometheus

/// The run's numbers in the viewer's Prometheus registry, read from a `LiveStatus` at each scrape
/// (the run itself never waits on a scrape). Totals kept by the coordinator become counters: each
/// scrape adds what grew since the last one.
final class LiveMetrics: @unchecked Sendable {
    private let factory: PrometheusMetricsFactory
    private let lock = NSLock()
    /// The totals last added to each counter, by its label and dimensions.
    private var added: [String: Double] = [:]

    init(registry: PrometheusCollectorRegistry) {
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Sets every gauge and brings every counter up to `status`.
    func record(_ status: LiveStatus) {
        lock.withLock {
            gauge("atelier_run_level", status.level)
            gauge("atelier_run_levels", status.levels)
            gauge("atelier_run_round", status.round)
            let total = max(status.counts.total, 1)
            gauge("atelier_run_level_progress", Double(status.counts.done) / Double(total))
            gauge("atelier_run_tiles_leased", status.counts.leased)
            gauge("atelier_run_queue_depth", status.counts.queued + status.counts.retried)
            gauge("atelier_run_tiles_per_second", status.tilesPerSecond)
            gauge("atelier_run_eta_seconds", status.etaSeconds ?? -1)
            gauge("atelier_run_workers_alive", status.workersAlive)
            gauge("atelier_run_finished", status.state == "finished" ? 1 : 0)
            gauge("atelier_run_failed", status.state == "failed" ? 1 : 0)
            count("atelier_run_tiles_done_total", total: Double(status.tilesAccepted))
            count("atelier_run_tiles_retried_total", total: Double(status.retries))
            count("atelier_run_bytes_in_total", total: Double(status.bytesIn))
            count("atelier_run_bytes_out_total", total: Double(status.bytesOut))
            for worker in status.workers {
                count("atelier_run_worker_tiles_total", [("worker", worker.name)], total: Double(worker.tiles))
                count("atelier_run_worker_seconds_total", [("worker", worker.name)], total: worker.seconds)
            }
        }
    }

    private func gauge(_ label: String, _ value: some BinaryInteger) { gauge(label, Double(value)) }

    private func gauge(_ label: String, _ value: Double) {
        CoreMetrics.Gauge(label: label, factory: factory).record(value)
    }

    /// Adds to a counter what `total` grew by since the last scrape (a new job's smaller total
    /// starts the count again from there: counters never go down).
    private func count(_ label: String, _ dimensions: [(String, String)] = [], total: Double) {
        let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        let before = added[key] ?? 0
        added[key] = total
        guard total > before else { return }
        CoreMetrics.FloatingPointCounter(label: label, dimensions: dimensions, factory: factory)
            .increment(by: total - before)
    }
}
