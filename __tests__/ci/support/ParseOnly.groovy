/*
 * Compiles each Groovy file given (syntax and class generation, nothing run) and prints one line per file:
 * `ok <file>` or `error <file>: <message>`. Exit 1 when any file does not compile.
 */
import org.codehaus.groovy.control.CompilationFailedException

int failed = 0
args.each { String file ->
    try {
        new GroovyShell().parse(new File(file))
        println "ok ${file}"
    } catch (CompilationFailedException e) {
        failed++
        println "error ${file}: ${e.message.readLines().take(3).join(' ')}"
    }
}
System.exit(failed ? 1 : 0)
