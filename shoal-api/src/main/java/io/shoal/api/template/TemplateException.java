package io.shoal.api.template;

/** A template that does not parse or cannot be rendered; the message reads like Go's. */
public final class TemplateException extends RuntimeException {
  public TemplateException(String message) {
    super(message);
  }
}
