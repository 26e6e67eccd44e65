/**
 * Swarm's service templates: the subset of Go's text/template that Swarm users write in
 * hostnames, env, mounts, labels and golang-templated secrets/configs —
 * {@code {{.Service.Name}}}, {@code {{.Task.Slot}}}, {@code {{index .Service.Labels "k"}}},
 * {@code {{env "VAR"}}}, {@code {{secret "target"}}}, {@code {{config "target"}}}, string literals
 * and {@code {{-}}/{@code -}}} trimming. Pure.
 *
 * <pre>{@code
 * GoTemplate t = GoTemplate.parse("h-{{.Service.Name}}-{{.Task.Slot}}");   // TemplateException if bad
 * String host = t.render(TemplateContext.of(service, task, node).data(), TemplateFunctions.NONE);
 * }</pre>
 */
package io.shoal.api.template;
