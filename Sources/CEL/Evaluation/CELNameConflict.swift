/// Why a name cannot be declared as one more variable of an environment: expressions could not
/// read it, or reading it would change what a name they already use means.
public enum CELNameConflict: Sendable, Equatable {
    /// Not a CEL identifier (a letter or `_`, then letters, digits and `_`).
    case notAnIdentifier
    /// A reserved word or a literal (`in`, `as`, `true`, `null`, ...).
    case reservedWord
    /// A declared variable, or the first part of a declared qualified name (`variables` of
    /// `variables.x`): the given declaration.
    case declared(String)
    /// A type name, or the first part of a qualified one (`int`, `net` of `net.IP`).
    case typeName(String)
    /// The namespace of a function (`math` of `math.greatest`): the given function.
    case functionNamespace(String)

    /// Why `name` is no CEL identifier at all (whatever an environment declares), or nil.
    public static func ofIdentifier(_ name: String) -> CELNameConflict? {
        let scalars = name.unicodeScalars
        guard let first = scalars.first, Lexer.isIdentStart(first), scalars.allSatisfy(Lexer.isIdentPart) else {
            return .notAnIdentifier
        }
        return Parser.reserved.contains(name) || ["true", "false", "null"].contains(name) ? .reservedWord : nil
    }
}

extension CELEnvironment {
    /// Whether `name` can be declared as a new variable without hiding what expressions already
    /// read: nil when it can, else why not.
    public func conflict(declaring name: String) -> CELNameConflict? {
        if let conflict = CELNameConflict.ofIdentifier(name) { return conflict }
        func isRoot(of qualified: String) -> Bool { qualified == name || qualified.hasPrefix(name + ".") }
        if let declared = declarations.first(where: isRoot) { return .declared(declared) }
        if let type = Planner.typeNames.keys.sorted().first(where: isRoot) { return .typeName(type) }
        if let function = functions.global.keys.sorted().first(where: { $0.hasPrefix(name + ".") }) {
            return .functionNamespace(function)
        }
        return nil
    }
}
