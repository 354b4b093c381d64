#pragma once

#include "models/hsl/Message.h"

#include <QObject>

// Declarations only: moc cannot tokenize the raw-string JSON literals the
// test bodies use, so the bodies live in test_hsl_model.cpp, which moc skips.
class TestHslModel : public QObject {
    Q_OBJECT

private slots:
    void textWithQuickReplies();
    void textPlainWithLinkAndNewline();
    void buttonItems();
    void buttonFileWithoutText();
    void buttonDocumentPicker();
    void carouselCards();
    void carouselNoImage();
    void carouselImageOnlyCards();
    void carouselVideo();
    void image();
    void systemEvents();
    void form();
    void silentAndNativeAction();
    void unknownTypeKeepsTextAndRaw();
    void actionableEnums();
    void lenientScalars();
    void lenientBooleans_data();
    void lenientBooleans();
    void lenientNumbersAndFallbacks();
    void textIsOptionalAndQuickRepliesOptional();
    void messageBodyAsString();
    void malformed_data();
    void malformed();
    void invalidUtf8IsDefined();
    void summaryOfInvalid();
    void depthLimitBoundary();
    void listLimitTruncates();
    void textLimitTruncates();
    void richText_data();
    void richText();
    void htmlStaysLiteral();
    void richTextPlainAndLinks();
    void richTextHostileIsFast();
    void summaryCases();
    void buildTextExactJson();
    void buildQuickRepliesExactJson();
    void buildButtonsExactJson();
    void builtMessagesRoundTrip();
    void validation_data();
    void validation();
};

Q_DECLARE_METATYPE(hsl::Message)
