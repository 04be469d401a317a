package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of the README compiles against this build. Every {@code java} block of the
 * top-level README.md that uses {@code Recognizer} is compiled (imports kept, the rest as a
 * method body); so is the example kept next to this test, which is the README's text.
 */
class ReadmeExampleTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void readmeExamplesCompile() throws IOException {
    List<String> blocks = new ArrayList<>();
    try (InputStream in = ReadmeExampleTest.class.getResourceAsStream("readme-example.md")) {
      assertNotNull(in);
      blocks.addAll(javaBlocks(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }
    Path readme = Path.of("..", "README.md");
    if (Files.isRegularFile(readme)) {
      blocks.addAll(javaBlocks(Files.readString(readme)));
    }
    assertFalse(blocks.isEmpty());
    for (int i = 0; i < blocks.size(); i++) {
      String diagnostics = compile("Example" + i, blocks.get(i));
      assertTrue(diagnostics.isEmpty(), "example " + i + " does not compile:\n" + blocks.get(i) + "\n" + diagnostics);
    }
  }

  private static List<String> javaBlocks(String markdown) {
    List<String> out = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(markdown);
    while (m.find()) {
      if (m.group(1).contains("Recognizer")) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private String compile(String className, String block) throws IOException {
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : block.split("\n")) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    String source = imports + "class " + className + " {\n  static void example() throws Exception {\n" + body + "  }\n}\n";
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      List<String> options = List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"),
          "-proc:none", "-Xlint:none");
      boolean ok = javac.getTask(diagnostics, files, null, options, null, List.of(file)).call();
      return ok ? "" : diagnostics.toString();
    }
  }
}
