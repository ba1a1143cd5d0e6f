package dev.linkedaudiences.audience;

import dev.linkedaudiences.testsupport.LocalInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The infrastructure of every audience-service test: its own database, fresh topics, and compute-service answering
 * the sample warehouse's catalog. One annotation for all classes, so they share one application boot.
 */
@QuarkusTestResource(value = LocalInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "audience_test"))
@QuarkusTestResource(FakeComputeService.class)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AudienceServiceTestResource {
}
