import ArgumentParser

/// Options that take one value, declared as lists so that a second one is seen: the parser keeps
/// the last of a repeated option, and a second `--tier`, `--config` or `--exceptions` (a CI
/// template's and the job's own) would replace the first without a word.
enum SingleValuedOption {
    /// A usage error naming every value when `option` was given more than once (the value used
    /// is then `values.last`, the only one).
    static func requireAtMostOne(_ values: [String], of option: String, because reason: String) throws {
        guard let last = values.last, values.count > 1 else { return }
        let times = values.count == 2 ? "twice" : "\(values.count) times"
        let earlier = values.dropLast().map { "\"\($0)\"" }.joined(separator: ", ")
        throw ValidationError("\(option) is given \(times), \(earlier) and \"\(last)\": \(reason)")
    }
}
