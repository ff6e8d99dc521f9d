/// One way a function may be called: its parameter types (a receiver first) and its result.
/// `dyn` as a parameter takes anything, and `list(dyn)` or `map(dyn, dyn)` any list or map.
struct StaticOverload: Sendable {
    let parameters: [CELStaticType]
    let result: CELStaticType

    init(_ parameters: [CELStaticType], _ result: CELStaticType) {
        self.parameters = parameters
        self.result = result
    }
}

/// The overloads of the standard functions and operators whose every way of being called the
/// checker knows: a call that matches none of them can only fail. Functions missing here (the
/// extensions, host functions) are not checked: their results are `dyn`. A test
/// (`StaticSignatureConsistencyTests`) calls each with values of every type and holds these
/// lists to what evaluation accepts.
enum StandardSignatures {
    /// Overloads of global calls and operators, by function name.
    static let global: [String: [StaticOverload]] = {
        var table: [String: [StaticOverload]] = [:]
        let numbers: [CELStaticType] = [.int, .uint, .double]
        let ordered: [CELStaticType] = [.bool, .string, .bytes, .timestamp, .duration]
        table["_+_"] = numbers.map { StaticOverload([$0, $0], $0) } + [
            StaticOverload([.string, .string], .string), StaticOverload([.bytes, .bytes], .bytes),
            StaticOverload([.list(.dyn), .list(.dyn)], .list(.dyn)),
            StaticOverload([.duration, .duration], .duration),
            StaticOverload([.timestamp, .duration], .timestamp), StaticOverload([.duration, .timestamp], .timestamp),
        ]
        table["_-_"] = numbers.map { StaticOverload([$0, $0], $0) } + [
            StaticOverload([.duration, .duration], .duration),
            StaticOverload([.timestamp, .timestamp], .duration), StaticOverload([.timestamp, .duration], .timestamp),
        ]
        table["_*_"] = numbers.map { StaticOverload([$0, $0], $0) }
        table["_/_"] = numbers.map { StaticOverload([$0, $0], $0) }
        table["_%_"] = [StaticOverload([.int, .int], .int), StaticOverload([.uint, .uint], .uint)]
        table["-_"] = [StaticOverload([.int], .int), StaticOverload([.double], .double), StaticOverload([.duration], .duration)]
        table["!_"] = [StaticOverload([.bool], .bool)]
        // Numbers of different kinds compare with each other (cel-go's cross-type comparisons).
        let comparisons = numbers.flatMap { a in numbers.map { b in StaticOverload([a, b], .bool) } }
            + ordered.map { StaticOverload([$0, $0], .bool) }
        for name in ["_<_", "_<=_", "_>_", "_>=_"] { table[name] = comparisons }
        table["@in"] = [StaticOverload([.dyn, .list(.dyn)], .bool), StaticOverload([.dyn, .map(.dyn, .dyn)], .bool)]
        table["size"] = sizeOverloads
        table["matches"] = [StaticOverload([.string, .string], .bool)]
        table["int"] = [.int, .uint, .double, .string, .timestamp, .duration].map { StaticOverload([$0], .int) }
        table["uint"] = [.int, .uint, .double, .string].map { StaticOverload([$0], .uint) }
        table["double"] = [.int, .uint, .double, .string].map { StaticOverload([$0], .double) }
        table["string"] = [.null, .bool, .int, .uint, .double, .string, .bytes, .timestamp, .duration, .type].map { StaticOverload([$0], .string) }
        table["bytes"] = [.bytes, .string].map { StaticOverload([$0], .bytes) }
        table["bool"] = [.bool, .string].map { StaticOverload([$0], .bool) }
        table["duration"] = [.duration, .string, .int].map { StaticOverload([$0], .duration) }
        table["timestamp"] = [.timestamp, .string, .int].map { StaticOverload([$0], .timestamp) }
        table["type"] = [StaticOverload([.dyn], .type)]
        table["dyn"] = [StaticOverload([.dyn], .dyn)]
        return table
    }()

    /// Overloads of receiver calls (`target.f(args)`, the target first), by function name.
    static let receiver: [String: [StaticOverload]] = {
        var table: [String: [StaticOverload]] = [:]
        table["size"] = sizeOverloads
        for name in ["contains", "startsWith", "endsWith", "matches"] { table[name] = [StaticOverload([.string, .string], .bool)] }
        for name in ["lowerAscii", "upperAscii", "trim"] { table[name] = [StaticOverload([.string], .string)] }
        table["charAt"] = [StaticOverload([.string, .int], .string)]
        table["replace"] = [StaticOverload([.string, .string, .string], .string), StaticOverload([.string, .string, .string, .int], .string)]
        table["split"] = [StaticOverload([.string, .string], .list(.string)), StaticOverload([.string, .string, .int], .list(.string))]
        table["substring"] = [StaticOverload([.string, .int], .string), StaticOverload([.string, .int, .int], .string)]
        return table
    }()

    private static let sizeOverloads = [CELStaticType.string, .bytes, .list(.dyn), .map(.dyn, .dyn)].map { StaticOverload([$0], .int) }
}
