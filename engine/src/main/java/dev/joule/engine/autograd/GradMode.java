package dev.joule.engine.autograd;

import java.util.function.Supplier;

/**
 * Whether ops record themselves on the tape, per thread. Inference runs inside
 * {@code try (var g = GradMode.noGrad()) { ... }} so that nothing is kept for a backward pass.
 */
public final class GradMode {
  private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

  private GradMode() {}

  public static boolean isEnabled() {
    return ENABLED.get();
  }

  /** Turns recording off until the returned scope is closed, then restores the previous mode. */
  public static Scope noGrad() {
    return set(false);
  }

  /** Runs {@code body} with recording off and returns its result. */
  public static <T> T withoutGrad(Supplier<T> body) {
    Scope scope = noGrad();
    try {
      return body.get();
    } finally {
      scope.close();
    }
  }

  /** Turns recording on until the returned scope is closed. */
  public static Scope enableGrad() {
    return set(true);
  }

  private static Scope set(boolean on) {
    boolean previous = ENABLED.get();
    ENABLED.set(on);
    return () -> ENABLED.set(previous);
  }

  /** A scope that restores the previous mode on close. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
