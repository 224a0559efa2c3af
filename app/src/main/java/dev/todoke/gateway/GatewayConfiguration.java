package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.audit.AuditLog;
import dev.todoke.database.Durability;
import dev.todoke.inspection.PersonalData;
import dev.todoke.link.LinkProperties;
import dev.todoke.link.LinkTokens;
import dev.todoke.mail.MailSeal;
import dev.todoke.mail.SystemMail;
import dev.todoke.mime.MessageRewriter;
import dev.todoke.mime.MimeParser;
import dev.todoke.policy.PolicyStore;
import dev.todoke.relay.NextHop;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.SealedValues;
import dev.todoke.templates.MailTemplates;
import dev.todoke.transfer.CopyRetries;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.Transfers;
import dev.todoke.virus.VirusScanning;
import dev.todoke.zk.ZeroKnowledgeKeys;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The gateway's parts: its parser, its default recipient policy, the notice texts, and the pipeline of
 * steps in its order. A new step is one more entry in {@link #mailPipeline}.
 */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    MimeParser gatewayMimeParser(MimeProperties properties) {
        return new MimeParser(properties.limits());
    }

    /** Internal domains pass through, everyone else gets links; a {@code @Primary} policy bean replaces it. */
    @Bean
    RecipientPolicy internalDomainsPolicy(TodokeProperties properties) {
        return RecipientPolicy.byInternalDomains(properties);
    }

    @Bean
    NoticeTexts noticeTexts(MailTemplates templates) {
        return new NoticeTexts(templates);
    }

    /** Large attachments stored while DATA arrives (ADR 0198); unused blobs need no barrier to go. */
    @Bean
    EarlyStores earlyStores(
            BlobStore blobStore,
            TodokeProperties todoke,
            GatewayProperties properties,
            MeterRegistry registry,
            AttemptCleanup cleanup) {
        return new EarlyStores(blobStore, todoke, properties.earlyStore(), registry, cleanup);
    }

    @Bean
    AttemptCleanup attemptCleanup(Transfers transfers, BlobStore blobStore, Clock clock, Durability durability) {
        return new AttemptCleanup(transfers, new DurableBlobDeletes(blobStore, durability), clock);
    }

    /** One copy per recipient across the upstream MTA's retries (ADR 0150). */
    @Bean
    CopyRetry copyRetry(
            CopyRetries retries,
            Holds holds,
            BlobStore blobStore,
            SealedValues sealedValues,
            Transfers transfers,
            Clock clock,
            Durability durability) {
        return new CopyRetry(
                retries, holds, new DurableBlobDeletes(blobStore, durability), sealedValues, transfers, clock);
    }

    @Bean
    HoldMails holdMails(SystemMail systemMail, NoticeTexts texts, TodokeProperties todoke) {
        return new HoldMails(systemMail, texts, todoke);
    }

    /** Personal-data detection (DLP) with its bounded extraction pool; closed with the context. */
    @Bean
    PersonalData personalData(InspectionProperties inspection) {
        return DlpStep.personalData(inspection);
    }

    /**
     * The steps in the order of docs/gateway.md (see {@link MailStep} for the contract). The virus scan is
     * in the row only when it is enabled ({@code todoke.clamav.enabled}, on by default in production).
     */
    @Bean
    MailPipeline mailPipeline(
            MimeParser parser,
            RecipientPolicy policy,
            PolicyStore policies,
            BlobStore store,
            Transfers transfers,
            NextHop nextHop,
            SystemMail systemMail,
            MailSeal seal,
            LinkTokens tokens,
            AuditLog audit,
            NoticeTexts texts,
            TodokeProperties todoke,
            LinkProperties links,
            GatewayProperties properties,
            BccProperties bcc,
            InspectionProperties inspection,
            AutoAddProperties autoAdd,
            ObjectProvider<RecipientTls> recipientTls,
            PersonalData personalData,
            VirusScanning virus,
            MeterRegistry registry,
            HoldProperties hold,
            Holds holds,
            HoldMails holdMails,
            Clock clock,
            SecureRandom random,
            ZeroKnowledgeKeys zeroKnowledgeKeys,
            CopyRetry copyRetry,
            TransactionOperations transactions,
            Durability durability) {
        // nothing leaves for the next hop before the mail's writes are durable (ADR 0190)
        NextHop durableNextHop = new DurableNextHop(nextHop, durability);
        BlobStore blobStore = new DurableBlobDeletes(store, durability);
        RecipientTls tls = recipientTls.getIfAvailable(() -> RecipientTls.NONE);
        List<MailStep> steps = new ArrayList<>(List.of(
                new LoopSealStep(seal),
                new DirectionStep(todoke),
                new AutoAddStep(autoAdd),
                new TlsCheckStep(tls, todoke),
                new RecipientPolicyStep(policy, policies::current, policies::groupsOf),
                new ParseStep(parser, properties),
                new ForcedBccStep(bcc, todoke),
                new EncryptedSignedStep(properties)));
        if (virus.enabled()) {
            steps.add(new VirusScanStep(virus, parser, audit, todoke.link(VirusScanning.HELP_PATH), registry));
        }
        steps.addAll(List.of(
                new InspectionStep(inspection, audit),
                new DlpStep(inspection, personalData, audit),
                new StoreStep(
                        new AttachmentStore(blobStore),
                        transfers,
                        tokens,
                        links,
                        copyRetry,
                        clock,
                        new ZeroKnowledgeLinks(zeroKnowledgeKeys, random, links.mode())),
                new HoldStep(
                        new HoldPolicy(
                                hold,
                                todoke,
                                transfers,
                                new HoldPolicy.Sources(
                                        policies::current, policies::groupsOf, policies::managerOf, tls)),
                        blobStore,
                        transfers,
                        holds,
                        holdMails,
                        tokens,
                        links,
                        hold,
                        durableNextHop,
                        tls,
                        todoke,
                        audit,
                        clock),
                new CopyRetryStep(copyRetry),
                new CopiesStep(new MessageRewriter(random), seal, texts, todoke),
                new RelayStep(durableNextHop, durability),
                new TlsVerdictStep(tls, todoke),
                new ReceiptStep(systemMail, texts, todoke, durableNextHop),
                new MarkRelayedStep(transfers, audit, copyRetry, transactions)));
        return new MailPipeline(steps);
    }
}
