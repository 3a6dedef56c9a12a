import Foundation

/// Where the weights file is: `--weights FILE`, else `$ATELIER_WEIGHTS`, else the default VGG-16
/// that `Scripts/fetch-weights` puts in `${XDG_CACHE_HOME:-~/.cache}/atelier/vgg16-hed.safetensors`.
public enum WeightsLocation {
    /// The environment variable that selects a weights file when `--weights` is not given.
    public static let environmentVariable = "ATELIER_WEIGHTS"
    /// The default file's name inside the cache folder.
    public static let defaultFileName = "vgg16-hed.safetensors"

    /// The default weights file for `environment` (`XDG_CACHE_HOME`, then `HOME`).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let cache: String
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            cache = xdg
        } else {
            cache = (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        }
        return cache + "/atelier/" + defaultFileName
    }

    /// The weights file to use: `explicit` if given, else `$ATELIER_WEIGHTS`, else the default.
    public static func resolve(
        explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let chosen = environment[environmentVariable], !chosen.isEmpty { return chosen }
        return defaultPath(environment: environment)
    }
}
