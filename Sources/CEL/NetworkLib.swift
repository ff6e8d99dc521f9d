enum NetworkLib {
    static func register(_ t: inout FunctionTable) {}
}
