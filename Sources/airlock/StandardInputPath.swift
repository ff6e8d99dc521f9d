#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a path names standard input: `-`, or a path that opens the pipe or socket that
/// standard input is (`/dev/stdin`, `/proc/self/fd/0`), which the first reader empties for any
/// other. (A regular file on standard input is opened afresh through such a path.)
enum StandardInputPath {
    static func names(_ path: String) -> Bool {
        if path == "-" { return true }
        var input = stat()
        var named = stat()
        guard fstat(STDIN_FILENO, &input) == 0, stat(path, &named) == 0 else { return false }
        let kind = input.st_mode & S_IFMT
        guard kind == S_IFIFO || kind == S_IFSOCK else { return false }
        return input.st_dev == named.st_dev && input.st_ino == named.st_ino
    }
}
