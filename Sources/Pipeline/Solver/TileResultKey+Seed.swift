import Tensor

extension TileResultKey {
    /// The seed of this task's optimisation, mixed from the job's seed and the tile's place
    /// (SplitMix64 steps over level, round and tile): the same for whichever worker runs it,
    /// however often, and unrelated between neighbouring tiles, rounds and levels. The job's
    /// name is left out: it only labels the job on the wire (a batch gives each job its own), and
    /// a job must give the same bytes under any name, as `atelier stylize` or in a batch.
    public func seed(jobSeed: UInt64) -> UInt64 {
        var first = SplitMix64(seed: jobSeed)
        var seed = first.next()  // mixed before folding, so that no field can cancel the job seed's bits
        for field in [UInt64(level), UInt64(round), UInt64(tile)] {
            var generator = SplitMix64(seed: seed ^ field)
            seed = generator.next()
        }
        return seed
    }
}
