package dev.todoke;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A feature package exposes only what another package uses: every public top-level type of the
 * application is used from outside its package (by main code, or by the tests of another package).
 * Unlike {@link ArchitectureTest}, this imports the tests too, so that "used" counts them. Typed
 * configuration records are exempt: Spring binds them, and the configuration processor documents them.
 */
@AnalyzeClasses(packages = "dev.todoke", importOptions = ArchitectureTest.ApplicationOnly.class)
class PublicTypesTest {

    @ArchTest
    static final ArchRule publicTypesAreUsedOutsideTheirPackage = classes()
            .that(areMainClasses())
            .and()
            .resideInAPackage("dev.todoke.(*)..")
            .and()
            .arePublic()
            .and()
            .areTopLevelClasses()
            .and()
            .areNotAnnotatedWith(ConfigurationProperties.class)
            .should(beUsedFromAnotherPackage())
            .because("package-private by default: a feature exposes one or two public types");

    private static DescribedPredicate<JavaClass> areMainClasses() {
        return DescribedPredicate.describe(
                "are main classes",
                c -> c.getSource()
                        .map(s -> !s.getUri().toString().contains("/test-classes/"))
                        .orElse(true));
    }

    private static ArchCondition<JavaClass> beUsedFromAnotherPackage() {
        return new ArchCondition<>("be used from another package") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                boolean used = type.getPackage().getClasses().stream()
                        .filter(c -> c.equals(type) || c.getName().startsWith(type.getName() + "$"))
                        .flatMap(c -> c.getDirectDependenciesToSelf().stream())
                        .map(Dependency::getOriginClass)
                        .anyMatch(origin -> !origin.getPackageName().equals(type.getPackageName()));
                if (!used && !type.getModifiers().contains(JavaModifier.ABSTRACT)) {
                    events.add(SimpleConditionEvent.violated(
                            type, type.getName() + " is public but used only inside " + type.getPackageName()));
                }
            }
        };
    }
}
