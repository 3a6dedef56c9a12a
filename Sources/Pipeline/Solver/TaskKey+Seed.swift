import Tensor

extension TaskKey {
    /// The seed of this task's optimisation, mixed from the job's seed and the key (SplitMix64
    /// steps over each field): the same for whichever worker runs it, however often, and
    /// unrelated between neighbouring tiles, rounds and levels.
    public func seed(jobSeed: UInt64) -> UInt64 {
        var generator = SplitMix64(seed: jobSeed)
        var seed = generator.next()
        for field in [job, UInt64(level), UInt64(round), UInt64(tile)] {
            generator = SplitMix64(seed: seed ^ field)
            seed = generator.next()
        }
        return seed
    }
}
