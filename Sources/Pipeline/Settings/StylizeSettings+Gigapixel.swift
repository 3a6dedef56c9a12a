extension StylizeSettings {
    /// `Configs/gigapixel.yaml`'s settings over the defaults: what the measurements of a gigapixel
    /// job's tiles (`bench scaling`, the protocol's byte counts) are made with.
    public static var gigapixel: StylizeSettings {
        var settings = StylizeSettings()
        settings.tile.size = 512
        settings.tile.overlap = 32
        settings.tile.halo = 48
        settings.tile.rounds = 2
        settings.transfer.coarseSize = 512
        settings.transfer.iterations = [80, 40, 20, 10, 6, 4, 3]
        settings.transfer.search = .approximate
        settings.transfer.styleLayers = ["relu3_1", "relu4_1"]
        settings.transfer.styleMaxSide = 2048
        return settings
    }
}
