import ArgumentParser

/// Options that take one value, declared as lists so that a second one is seen: the parser keeps
/// the last of a repeated option, and a second `--tier`, `--config` or `--exceptions` (a CI
/// template's and the job's own) would replace the first without a word.
enum SingleValuedOption {
    /// The value given, nil for none; a usage error naming every value when there are several.
    static func value(_ values: [String], of option: String, because reason: String) throws -> String? {
        guard let last = values.last else { return nil }
        guard values.count == 1 else {
            let times = values.count == 2 ? "twice" : "\(values.count) times"
            let earlier = values.dropLast().map { "\"\($0)\"" }.joined(separator: ", ")
            throw ValidationError("\(option) is given \(times), \(earlier) and \"\(last)\": \(reason)")
        }
        return last
    }
}
