/**
 * The hook through which {@link org.cti4j.api.CtiEngine#builder()} finds the engine implementation. Applications do
 * not use it; engine implementations register a {@link org.cti4j.api.spi.CtiEngineProvider} with
 * {@link java.util.ServiceLoader}.
 */
package org.cti4j.api.spi;
