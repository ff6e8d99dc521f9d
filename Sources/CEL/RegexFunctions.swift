enum RegexFunctions {
    static func register(_ t: inout FunctionTable) {}
}
