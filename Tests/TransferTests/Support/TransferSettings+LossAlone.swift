import Transfer

extension TransferSettings {
    /// The settings under which the method's claims (placement, lighting, doodle) are tested:
    /// the deep semantic loss alone decides where the paint goes. The start is the content itself
    /// (the `palette` start would put each region's colours in place before the loss does
    /// anything), and the weights are those the claims were first measured with (content 1,
    /// TV 10, no chroma prior): the photo defaults keep the content's structure much more
    /// strongly, which on these flat synthetic scenes would only slow the paint down.
    static var lossAlone: TransferSettings {
        var settings = TransferSettings()
        settings.initialisation = .content
        settings.contentWeight = 1
        settings.tvWeight = 10
        settings.chromaTVWeight = 0
        settings.shallowWeight = 0
        return settings
    }
}
