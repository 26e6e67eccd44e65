package io.shoal.cli.command.service;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * Copies an API record with one component changed, by name. The API records have up to 28
 * components and only some withers; editing a spec flag by flag through their canonical
 * constructors would bury every rule in argument lists. Component names are checked at first use
 * (a typo fails every test that touches it).
 */
final class Rec {
  private Rec() {}

  /** A copy of {@code rec} with component {@code name} set to {@code value}. */
  @SuppressWarnings("unchecked")
  static <R extends Record> R with(R rec, String name, Object value) {
    RecordComponent[] comps = rec.getClass().getRecordComponents();
    Object[] values = new Object[comps.length];
    boolean found = false;
    try {
      for (int i = 0; i < comps.length; i++) {
        if (comps[i].getName().equals(name)) {
          values[i] = value;
          found = true;
        } else {
          values[i] = comps[i].getAccessor().invoke(rec);
        }
      }
      if (!found) {
        throw new IllegalStateException(rec.getClass().getSimpleName() + " has no component " + name);
      }
      return (R) canonical(rec.getClass()).newInstance(values);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A record of the given type with every component absent (null, or zero for primitives). */
  @SuppressWarnings("unchecked")
  static <R extends Record> R empty(Class<R> type) {
    RecordComponent[] comps = type.getRecordComponents();
    Object[] values = new Object[comps.length];
    for (int i = 0; i < comps.length; i++) {
      Class<?> t = comps[i].getType();
      if (t.isPrimitive()) {
        values[i] = t == boolean.class ? Boolean.FALSE : t == long.class ? (Object) 0L
            : t == int.class ? (Object) 0 : t == double.class ? (Object) 0.0 : null;
      }
    }
    try {
      return (R) canonical(type).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code rec}, or an empty record of the type when absent. */
  static <R extends Record> R orEmpty(R rec, Class<R> type) {
    return rec != null ? rec : empty(type);
  }

  private static Constructor<?> canonical(Class<?> type) throws NoSuchMethodException {
    RecordComponent[] comps = type.getRecordComponents();
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      types[i] = comps[i].getType();
    }
    return type.getDeclaredConstructor(types);
  }
}
