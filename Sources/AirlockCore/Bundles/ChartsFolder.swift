/// The entries of a chart's `charts/` folder as Helm's loader (pkg/chart/loader, `LoadFiles`)
/// reads them: every name there that does not start with `_` or `.` is a chart Helm loads with
/// its parent, a file named `*.tgz` as a packed chart and anything else as a chart folder (files
/// ending in `.prov` are kept as files). Nothing else is skipped: a `db-1.0.0.tar.gz` or a
/// `README.md` in `charts/` is loaded as a folder without Chart.yaml, and Helm refuses the parent
/// ("error unpacking subchart db-1.0.0.tar.gz in app: Chart.yaml file is missing").
struct ChartsFolder {
    /// A chart Helm loads from the folder, by its Helm name.
    enum Subchart: Equatable {
        /// A `*.tgz` file (`charts/db-1.0.0.tgz`).
        case packed(String)
        /// A folder holding Chart.yaml (`charts/web`).
        case unpacked(String)
    }

    /// The charts Helm loads, in archive order.
    private(set) var subcharts: [Subchart] = []
    /// The entries Helm loads as a chart and fails on, each saying what it is
    /// (`x/charts/db-1.0.0.tar.gz is a file not named *.tgz`).
    private(set) var unloadable: [String] = []
    /// The charts Helm loads from an entry that is no regular file (a `*.tgz` or a folder's
    /// Chart.yaml that is a link, a device or a FIFO), each saying what it is: Helm's loader
    /// reads no bytes from such an entry, so the chart is an empty archive, or has an empty
    /// Chart.yaml without a name, and it refuses it.
    private(set) var notFiles: [String] = []

    /// The `charts/` folder of the chart at `chart` (`""` for the archive's top, `charts/web` for
    /// a chart folder), whose entries are `members` (their Helm names inside that `charts/`, as
    /// `index` gives them, in archive order); `path` gives the archive path of a Helm name, for messages.
    /// `types` gives the type of each entry, by Helm name, that is neither a regular file nor a folder.
    init(of chart: String, members: [String], types: [String: ArchiveEntryType] = [:], path: (String) -> String) {
        let prefix = chart.isEmpty ? "charts/" : chart + "/charts/"
        var order: [String] = []
        var entries: [String: [String]] = [:]
        for inside in members where !inside.hasSuffix(".prov") {
            let name = String(inside.prefix { $0 != "/" })
            if entries[name] == nil { order.append(name) }
            entries[name, default: []].append(inside)
        }
        for name in order where !name.hasPrefix("_") && !name.hasPrefix(".") {
            let entries = entries[name] ?? []
            if name.hasSuffix(".tgz") {
                if entries == [name], let type = types[prefix + name] {
                    notFiles.append("\(path(prefix + name)) is a \(type.rawValue), not a file")
                } else if entries == [name] {
                    subcharts.append(.packed(prefix + name))
                } else {
                    unloadable.append("\(path(prefix + name)) is a folder, not a packed chart")
                }
            } else if entries.contains(name + "/Chart.yaml"), let type = types[prefix + name + "/Chart.yaml"] {
                notFiles.append("\(path(prefix + name + "/Chart.yaml")) is a \(type.rawValue), not a file")
            } else if entries.contains(name + "/Chart.yaml") {
                subcharts.append(.unpacked(prefix + name))
            } else if entries.contains(name) {
                unloadable.append("\(path(prefix + name)) is a file not named *.tgz")
            } else {
                unloadable.append("\(path(prefix + name)) is a folder without Chart.yaml")
            }
        }
    }

    /// The entries of each chart folder's `charts/` among `names` (the Helm names of an archive's
    /// entries other than folders, in archive order), by chart folder (`""` the top, `charts/web`,
    /// `charts/web/charts/ui`), as names inside that `charts/`; chart folders deeper than
    /// `maxDepth` are left out.
    static func index(_ names: [String], maxDepth: Int) -> [String: [String]] {
        var members: [String: [String]] = [:]
        for name in names {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            var index = 0
            while index + 1 < parts.count, parts[index] == "charts", index / 2 <= maxDepth {
                members[parts[..<index].joined(separator: "/"), default: []].append(parts[(index + 1)...].joined(separator: "/"))
                index += 2
            }
        }
        return members
    }

    /// The chart folder a Helm name is in and its name there (`("charts/web", "Chart.yaml")` for
    /// `charts/web/Chart.yaml`, `("", "charts/db.tgz")` for `charts/db.tgz`), and how deep that
    /// folder is (`charts/web/charts/ui` is 2).
    static func location(of name: String) -> (chart: String, name: String, depth: Int) {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        var index = 0
        while index + 2 < parts.count, parts[index] == "charts" { index += 2 }
        return (parts[..<index].joined(separator: "/"), parts[index...].joined(separator: "/"), index / 2)
    }

    /// Why Helm refuses a chart whose `charts/` folders hold the `unloadable` entries, the
    /// `notFiles` ones and the `invalid` subchart folders, or nil when there are none.
    static func refusal(_ unloadable: [String], notFiles: [String] = [], invalid: [String] = []) -> String? {
        var reasons: [String] = []
        if !unloadable.isEmpty {
            reasons.append("Helm refuses to load this chart (\"Chart.yaml file is missing\"): it loads every entry of charts/ as a chart, "
                + "a *.tgz file packed and anything else as a folder holding Chart.yaml, and " + unloadable.joined(separator: ", "))
        }
        if !notFiles.isEmpty {
            reasons.append("Helm refuses to load this chart: its loader reads no bytes from an entry that is not a regular file, "
                + "so a subchart packed in one is an empty archive and a Chart.yaml in one has no name, and " + notFiles.joined(separator: ", "))
        }
        if !invalid.isEmpty {
            reasons.append("Helm refuses to load this chart, as it refuses each chart it loads whose Chart.yaml it does not accept: " + invalid.joined(separator: ", "))
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }
}
