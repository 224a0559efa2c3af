package dev.todoke;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Controller;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RestController;

/**
 * The package boundaries of the application, checked in every build (see docs/adr/0026). Feature
 * packages are the top-level packages under {@code dev.todoke}; the rules are written so that they
 * keep holding while features are added or split: no cycles between features, the SMTP edge and the
 * MIME code know nothing of the layers above them, library types stay in the package that wraps the
 * library, and a feature's controllers and repositories are package-private ({@link PublicTypesTest}
 * checks the other public types).
 */
@AnalyzeClasses(
        packages = "dev.todoke",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.ApplicationOnly.class})
class ArchitectureTest {

    private static final String FEATURES = "dev.todoke.(*)..";

    @ArchTest
    static final ArchRule featurePackagesHaveNoCycles =
            slices().matching(FEATURES).namingSlices("$1").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule smtpListenerKnowsNothingAboveIt = noClasses()
            .that()
            .resideInAPackage("dev.todoke.smtp..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.todoke.gateway..",
                    "dev.todoke.transfer..",
                    "dev.todoke.mime..",
                    "dev.todoke.web..",
                    "dev.todoke.download..",
                    "dev.todoke.sender..",
                    "dev.todoke.store..")
            .because("the SMTP listener is the edge: the gateway plugs into it through MailFilter");

    @ArchTest
    static final ArchRule mimeKnowsNothingOfMailTransportOrWeb = noClasses()
            .that()
            .resideInAPackage("dev.todoke.mime..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.todoke.gateway..",
                    "dev.todoke.transfer..",
                    "dev.todoke.smtp..",
                    "dev.todoke.relay..",
                    "dev.todoke.web..",
                    "dev.todoke.download..",
                    "dev.todoke.sender..",
                    "dev.todoke.store..",
                    "org.springframework.web..",
                    "jakarta.servlet..")
            .because("MIME parsing and rewriting work on bytes, wherever they come from");

    @ArchTest
    static final ArchRule gatewayIsUsedOnlyThroughItsSeams = noClasses()
            .that()
            .resideOutsideOfPackages("dev.todoke.gateway..", "dev.todoke")
            .should()
            .dependOnClassesThat(isGatewayTypeButNotASeam())
            .because("other features plug into the mail path through its interfaces (e.g. RecipientPolicy),"
                    + " never by calling the pipeline's classes");

    @ArchTest
    static final ArchRule sharedKernelDependsOnNoFeatureAndNoFramework = noClasses()
            .that()
            .resideInAPackage("dev.todoke.common..")
            .should()
            .dependOnClassesThat(resideInAnyPackage("dev.todoke..", "org.springframework..")
                    .and(not(resideInAPackage("dev.todoke.common.."))))
            .because("every feature may use the shared kernel, so it must not use them");

    @ArchTest
    static final ArchRule smtpLibraryStaysInTheSmtpPackage = noClasses()
            .that()
            .resideOutsideOfPackage("dev.todoke.smtp..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.subethamail..")
            .because("SubEthaSMTP types do not leak past the listener");

    @ArchTest
    static final ArchRule s3ClientStaysInTheStorageModule = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.minio..", "okhttp3..")
            .because("the storage module wraps the S3 client; its exceptions do not leak into the application");

    @ArchTest
    static final ArchRule storageBackendsAreChosenOnlyByTheStoreConfiguration = noClasses()
            .that()
            .resideOutsideOfPackage("dev.todoke.store..")
            .should()
            .dependOnClassesThat(
                    simpleNameIn("FileSystemBlobStore", "S3BlobStore", "S3Settings", "EncryptingBlobStore", "KeyRing"))
            .because("the rest of the application sees one BlobStore and never a backend or the keys");

    @ArchTest
    static final ArchRule controllersArePackagePrivate = classes()
            .that()
            .areAnnotatedWith(Controller.class)
            .or()
            .areAnnotatedWith(RestController.class)
            .or()
            .areAnnotatedWith(ControllerAdvice.class)
            .or()
            .areAnnotatedWith(Repository.class)
            .and()
            .resideOutsideOfPackage("dev.todoke.transfer..")
            .should()
            .notBePublic()
            .because("controllers and repositories are a feature's internals (the transfer package's"
                    + " repositories are the one exception: they are that package's API, ADR 0014)");

    @ArchTest
    static final ArchRule constructorInjectionOnly =
            noFields().should().beAnnotatedWith(Autowired.class).because("dependencies are constructor parameters");

    private static DescribedPredicate<JavaClass> isGatewayTypeButNotASeam() {
        return DescribedPredicate.describe(
                "are gateway classes other than interfaces and the types nested in them",
                c -> c.getPackageName().startsWith("dev.todoke.gateway")
                        && !c.isInterface()
                        && !c.getEnclosingClass().map(JavaClass::isInterface).orElse(false));
    }

    private static DescribedPredicate<JavaClass> simpleNameIn(String... names) {
        java.util.Set<String> set = java.util.Set.of(names);
        return DescribedPredicate.describe(
                "are storage classes named " + set,
                c -> c.getPackageName().equals("dev.todoke.storage") && set.contains(c.getSimpleName()));
    }

    /** The application's classes: not the storage module or the test kit, which have their own rules. */
    static final class ApplicationOnly implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/dev/todoke/storage/") && !location.contains("/dev/todoke/testkit/");
        }
    }
}
