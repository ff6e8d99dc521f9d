enum URLLib {
    static func register(_ t: inout FunctionTable) {}
}
