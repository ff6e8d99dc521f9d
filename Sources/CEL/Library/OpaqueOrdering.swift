/// `isLessThan`, `isGreaterThan` and `compareTo` for every opaque type with an ordering
/// (Kubernetes quantities and semvers, and host types via ``CELOpaqueValue/compare(to:)``).
enum OpaqueOrdering {
    static func compare(_ name: String, _ a: CELArguments) -> Int? {
        guard case .opaque(let x) = a[0], case .opaque(let y) = a[1], x.celTypeName == y.celTypeName else { return nil }
        return x.compare(to: y)
    }

    static func register(_ t: inout FunctionTable) {
        t.addReceiver("isLessThan", 2) { a in
            guard let c = compare("isLessThan", a) else { return noSuchOverload("isLessThan", a) }
            return .bool(c < 0)
        }
        t.addReceiver("isGreaterThan", 2) { a in
            guard let c = compare("isGreaterThan", a) else { return noSuchOverload("isGreaterThan", a) }
            return .bool(c > 0)
        }
        t.addReceiver("compareTo", 2) { a in
            guard let c = compare("compareTo", a) else { return noSuchOverload("compareTo", a) }
            return .int(Int64(c.signum()))
        }
    }
}
