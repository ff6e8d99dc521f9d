enum QuantityLib {
    static func register(_ t: inout FunctionTable) {}
}
