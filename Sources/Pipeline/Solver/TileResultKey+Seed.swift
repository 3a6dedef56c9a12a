import Tensor

extension TileResultKey {
    /// The seed of this task's optimisation, mixed from the job's seed and the key (SplitMix64
    /// steps over each field): the same for whichever worker runs it, however often, and
    /// unrelated between neighbouring tiles, rounds and levels.
    public func seed(jobSeed: UInt64) -> UInt64 {
        var first = SplitMix64(seed: jobSeed)
        var seed = first.next()  // mixed before folding, so that no field can cancel the job seed's bits
        for field in job.utf8.map(UInt64.init) + [UInt64(level), UInt64(round), UInt64(tile)] {
            var generator = SplitMix64(seed: seed ^ field)
            seed = generator.next()
        }
        return seed
    }
}
