/*
 * A small stub of Jenkins' declarative pipeline DSL, enough to run the project's Jenkinsfile outside Jenkins
 * and tell which stages a build of a given kind runs, with which guards.
 *
 *   groovy DeclarativeStub.groovy <Jenkinsfile> <scenarios as a JSON array>
 *   a scenario: {"BRANCH_NAME": "main", "CHANGE_ID": null, "TAG_NAME": null, "cause": "BranchIndexingCause"}
 *
 * Recording: every DSL call becomes a node (name, arguments, children from its closure). Evaluation: the
 * `when` conditions that declarative offers (branch, tag, buildingTag, changeRequest, triggeredBy, allOf,
 * anyOf, not, environment, expression is refused: logic must not live in Groovy) against the scenario, the way
 * Jenkins does it: a skipped stage skips its nested stages. Prints a JSON array, per scenario the pipeline-level settings and
 * one row per stage (nested stages inherit agent, lock and timeout from their parent).
 */
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

class Node {
    String name
    List args = []
    List<Node> children = []
    Node child(String n) { children.find { it.name == n } }
    List<Node> all(String n) { children.findAll { it.name == n } }
    Map named() { (args && args[0] instanceof Map) ? (Map) args[0] : [:] }
    Object first() { args ? args[0] : null }
}

class Recorder {
    Node node
    Map env
    Recorder(Node node, Map env) { this.node = node; this.env = env }

    def methodMissing(String name, Object argsObj) {
        List args = (argsObj as Object[]).toList()
        Node n = new Node(name: name)
        Closure body = (args && args[-1] instanceof Closure) ? (Closure) args.remove(args.size() - 1) : null
        n.args = args
        // Nodes built while evaluating the arguments (logRotator(), kubernetesAgent() …) belong to this call.
        def nested
        nested = { a -> if (a instanceof Node) { node.children.remove(a) } else if (a instanceof Map) { a.values().each(nested) } else if (a instanceof List) { a.each(nested) } }
        args.each(nested)
        node.children << n
        if (body != null) {
            Closure c = (Closure) body.clone()
            c.resolveStrategy = Closure.DELEGATE_FIRST
            c.delegate = new Recorder(n, env)
            c.call()
        }
        n
    }

    def propertyMissing(String name) {
        switch (name) {
            case 'env': return env
            case 'currentBuild': return [currentResult: 'SUCCESS', result: 'SUCCESS']
            case 'scm': return 'scm'
            default: return "<${name}>".toString()
        }
    }
}

boolean globMatch(String glob, String value) {
    if (value == null) { return false }
    String re = glob.replace('.', '\\.').replace('**', '\u0000').replace('*', '[^/]*').replace('\u0000', '.*').replace('?', '.')
    value ==~ re
}

boolean evalCondition(Node c, Map env, String cause) {
    switch (c.name) {
        case 'branch':
            Map a = c.named()
            String pattern = a ? a.pattern : c.first()
            if (a.comparator == 'REGEXP') { return env.BRANCH_NAME != null && env.BRANCH_NAME ==~ pattern }
            return globMatch(pattern, (String) env.BRANCH_NAME)
        case 'tag':
            Map a = c.named()
            String pattern = a ? a.pattern : c.first()
            if (env.TAG_NAME == null) { return false }
            if (a.comparator == 'REGEXP') { return env.TAG_NAME ==~ pattern }
            return globMatch(pattern, (String) env.TAG_NAME)
        case 'buildingTag': return env.TAG_NAME != null
        case 'changeRequest': return env.CHANGE_ID != null
        case 'triggeredBy': return cause == c.first()
        case 'allOf': return c.children.every { evalCondition(it, env, cause) }
        case 'anyOf': return c.children.any { evalCondition(it, env, cause) }
        case 'not':
            assert c.children.size() == 1: 'not takes one condition'
            return !evalCondition(c.children[0], env, cause)
        case 'environment': return env[c.named().name] == c.named().value
        case 'beforeInput': case 'beforeAgent': case 'beforeOptions': return true
        default: throw new IllegalArgumentException("unsupported when condition: ${c.name}")
    }
}

String agentOf(Node stage) {
    Node agent = stage.child('agent')
    if (agent == null) { return null }
    if (agent.first() == 'none' || agent.first() == '<none>') { return 'none' }
    Node k8s = agent.child('kubernetes')
    if (k8s != null) { return k8s.child('yamlFile')?.first() }
    'other'
}

String timeoutOf(Node stage) {
    Node t = stage.child('options')?.child('timeout')
    t ? "${t.named().time} ${t.named().unit}".toString() : null
}

String lockOf(Node stage) {
    Node l = stage.child('options')?.child('lock')
    l ? (l.named().resource ?: l.first()) : null
}

List<String> descendants(Node n, String name, String key) {
    n.children.collectMany { c -> (c.name == name ? [key ? c.named()[key] : c.first()] : []) + descendants(c, name, key) }
}

List<String> credentialIds(Node n) {
    n.children.collectMany { c ->
        (c.name == 'withCredentials' ? c.first().collect { it.named().credentialsId } : []) + credentialIds(c)
    }
}

void walk(Node stagesNode, Map inherited, boolean parentRuns, Map env, String cause, List rows) {
    stagesNode.all('stage').each { Node s ->
        String name = s.first()
        Node when = s.child('when')
        boolean runs = parentRuns && (when == null || when.children.findAll { !(it.name in ['beforeInput', 'beforeAgent', 'beforeOptions']) }.every { evalCondition(it, env, cause) })
        Node input = s.child('input')
        Node retry = s.child('options')?.child('retry')
        Node steps = s.child('steps')
        Map guards = [
            agent: agentOf(s) ?: inherited.agent,
            lock: lockOf(s) ?: inherited.lock,
            timeout: timeoutOf(s) ?: inherited.timeout,
        ]
        Map row = [
            stage: inherited.path ? "${inherited.path} / ${name}".toString() : name,
            runs: runs,
            agent: guards.agent,
            lock: guards.lock,
            timeout: guards.timeout,
            submitter: input?.child('submitter')?.first(),
            beforeInput: when?.child('beforeInput')?.first() == true,
            milestone: steps?.child('milestone')?.named()?.ordinal,
            retry: retry ? retry.named().conditions.collect { it.name } : null,
            steps: steps ? descendants(steps, 'sh', null) : [],
            credentials: steps ? credentialIds(steps) : [],
        ]
        rows << row
        Node nested = s.child('stages')
        if (nested != null) { walk(nested, guards + [path: row.stage], runs, env, cause, rows) }
    }
}

def (String jenkinsfile, String scenariosJson) = args
List scenarios = (List) new JsonSlurper().parseText(scenariosJson)
String source = new File(jenkinsfile).text

Map runScenario(String source, Map scenario) {
Map env = [:].withDefault { null }
scenario.each { k, v -> if (k != 'cause') { env[k] = v } }

Node root = new Node(name: 'root')
Recorder top = new Recorder(root, env)
Binding binding = new Binding()
binding.setVariable('env', env)
GroovyShell shell = new GroovyShell(binding)
Script script = shell.parse(source)
script.metaClass.methodMissing = { String name, Object a -> top.methodMissing(name, a) }
script.metaClass.propertyMissing = { String name -> top.propertyMissing(name) }
script.run()

Node pipeline = root.child('pipeline')
List rows = []
assert pipeline != null: 'no pipeline block'

walk(pipeline.child('stages'), [agent: agentOf(pipeline)], true, env, (String) scenario.cause, rows)

Node opts = pipeline.child('options')
Map out = [
    agent: agentOf(pipeline),
    abortPrevious: opts?.child('disableConcurrentBuilds')?.named()?.abortPrevious,
    cron: pipeline.child('triggers')?.child('cron')?.first(),
    options: opts?.children?.collect { it.name },
    post: pipeline.child('post')?.children?.collect { it.name },
    stages: rows,
]
out
}

println JsonOutput.toJson(scenarios.collect { runScenario(source, (Map) it) })
