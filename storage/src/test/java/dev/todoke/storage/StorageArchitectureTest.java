package dev.todoke.storage;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The storage module stays a plain library: no Spring, nothing of the application, MinIO in one class. */
@AnalyzeClasses(packages = "dev.todoke.storage", importOptions = ImportOption.DoNotIncludeTests.class)
class StorageArchitectureTest {

    @ArchTest
    static final ArchRule freeOfSpring = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "jakarta.annotation..", "jakarta.inject..")
            .because("the storage module is usable without Spring (docs/adr/0001)");

    @ArchTest
    static final ArchRule knowsNothingOfTheApplication = noClasses()
            .should()
            .dependOnClassesThat(resideInAPackage("dev.todoke..").and(not(resideInAPackage("dev.todoke.storage.."))))
            .because("the application depends on storage, never the other way round");

    @ArchTest
    static final ArchRule s3ClientOnlyInTheS3Backend = noClasses()
            .that(not(DescribedPredicate.describe(
                    "are the S3 backend", c -> c.getName().startsWith(S3BlobStore.class.getName()))))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.minio..", "okhttp3..")
            .because("MinIO and OkHttp types and exceptions do not leak past the S3 backend");
}
