/// The SPDX license and exception identifiers airlock knows without a network: the licenses
/// common in container images, Helm charts and agent packages. Extend the lists as needed; an id
/// outside them can always be written as `LicenseRef-…`.
public enum SPDXLicenseList {
    public static let licenses: [String] = [
        "0BSD", "AFL-3.0", "AGPL-1.0-only", "AGPL-1.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later",
        "Apache-1.0", "Apache-1.1", "Apache-2.0", "APSL-2.0", "Artistic-1.0", "Artistic-2.0",
        "BlueOak-1.0.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Patent", "BSD-3-Clause",
        "BSD-3-Clause-Clear", "BSD-4-Clause", "BSL-1.0", "BUSL-1.1", "bzip2-1.0.6",
        "CC-BY-3.0", "CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-NC-ND-4.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0",
        "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1", "CECILL-2.1",
        "CPL-1.0", "curl", "ECL-2.0", "EFL-2.0", "Elastic-2.0", "EPL-1.0", "EPL-2.0", "EUPL-1.1",
        "EUPL-1.2", "FSFAP", "FTL", "GFDL-1.3-only", "GFDL-1.3-or-later",
        "GPL-1.0-only", "GPL-1.0-or-later", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only",
        "GPL-3.0-or-later", "HPND", "ICU", "IJG", "ImageMagick", "IPA", "ISC", "JSON",
        "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only",
        "LGPL-3.0-or-later", "Libpng", "libpng-2.0", "libtiff", "LPL-1.02", "LPPL-1.3c",
        "MIT", "MIT-0", "MIT-CMU", "MPL-1.1", "MPL-2.0", "MPL-2.0-no-copyleft-exception", "MS-PL",
        "MS-RL", "MulanPSL-2.0", "NCSA", "ODbL-1.0", "OFL-1.1", "OpenSSL", "OSL-3.0", "PHP-3.01",
        "PostgreSQL", "PSF-2.0", "Python-2.0", "Ruby", "SGI-B-2.0", "Sleepycat", "SSPL-1.0",
        "Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "UPL-1.0", "Vim", "W3C", "WTFPL",
        "X11", "XFree86-1.1", "Zlib", "zlib-acknowledgement", "ZPL-2.0", "ZPL-2.1",
        // Deprecated ids, still valid in expressions.
        "AGPL-3.0", "GPL-2.0", "GPL-2.0+", "GPL-3.0", "GPL-3.0+", "LGPL-2.0", "LGPL-2.1", "LGPL-2.1+",
        "LGPL-3.0", "LGPL-3.0+", "GFDL-1.3", "eCos-2.0", "wxWindows", "StandardML-NJ",
    ]

    /// Ids SPDX keeps only for compatibility.
    public static let deprecated: Set<String> = [
        "AGPL-3.0", "GPL-2.0", "GPL-2.0+", "GPL-3.0", "GPL-3.0+", "LGPL-2.0", "LGPL-2.1", "LGPL-2.1+",
        "LGPL-3.0", "LGPL-3.0+", "GFDL-1.3", "eCos-2.0", "wxWindows", "StandardML-NJ",
    ]

    public static let exceptions: [String] = [
        "Autoconf-exception-3.0", "Bison-exception-2.2", "Classpath-exception-2.0", "CLISP-exception-2.0",
        "GCC-exception-3.1", "GPL-3.0-linking-exception", "LLVM-exception", "OCaml-LGPL-linking-exception",
        "OpenJDK-assembly-exception-1.0", "Qt-LGPL-exception-1.1", "Swift-exception", "Universal-FOSS-exception-1.0",
        "u-boot-exception-2.0", "WxWindows-exception-3.1", "Linux-syscall-note", "Font-exception-2.0",
    ]

    private static let licenseIndex: [String: String] = Dictionary(licenses.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    private static let exceptionIndex: [String: String] = Dictionary(exceptions.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })

    /// The canonical spelling of a license id, matched case-insensitively.
    public static func canonicalLicense(_ id: String) -> String? { licenseIndex[id.lowercased()] }

    /// The canonical spelling of an exception id, matched case-insensitively.
    public static func canonicalException(_ id: String) -> String? { exceptionIndex[id.lowercased()] }
}
