/**
 * Pure validation of user specs and placement constraints.
 *
 * <pre>{@code
 * SpecValidator.validateService(spec);               // throws InvalidSpec naming the field
 * boolean ok = Constraint.parse("node.role==manager").matches(node);
 * }</pre>
 */
package io.shoal.api.validation;
