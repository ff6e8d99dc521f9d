enum MathExt {
    static func register(_ t: inout FunctionTable) {}
}
