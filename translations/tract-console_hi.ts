<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi">
<context>
    <name>LayoutBuilder</name>
    <message>
        <source>(no label)</source>
        <translation>(कोई लेबल नहीं)</translation>
    </message>
    <message>
        <source>%1 joined the chat</source>
        <translation>%1 चैट में शामिल हुए</translation>
    </message>
    <message>
        <source>%1 (%2) joined the chat</source>
        <translation>%1 (%2) चैट में शामिल हुए</translation>
    </message>
    <message>
        <source>Chat completed</source>
        <translation>चैट पूरी हुई</translation>
    </message>
    <message>
        <source>System event: %1</source>
        <translation>सिस्टम इवेंट: %1</translation>
    </message>
    <message>
        <source>System event</source>
        <translation>सिस्टम इवेंट</translation>
    </message>
    <message>
        <source>Native app action</source>
        <translation>नेटिव ऐप कार्रवाई</translation>
    </message>
    <message>
        <source>Native app action: %1</source>
        <translation>नेटिव ऐप कार्रवाई: %1</translation>
    </message>
    <message>
        <source>(untyped)</source>
        <translation>(बिना प्रकार)</translation>
    </message>
    <message>
        <source>Silent action</source>
        <translation>मौन कार्रवाई</translation>
    </message>
    <message>
        <source>Silent action: %1</source>
        <translation>मौन कार्रवाई: %1</translation>
    </message>
    <message>
        <source>invalid message</source>
        <translation>अमान्य संदेश</translation>
    </message>
    <message>
        <source>unsupported %1</source>
        <translation>असमर्थित %1</translation>
    </message>
    <message>
        <source>Form (read-only)</source>
        <translation>फ़ॉर्म (केवल पढ़ने के लिए)</translation>
    </message>
    <message>
        <source>field</source>
        <translation>फ़ील्ड</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Hide raw JSON</source>
        <translation>रॉ JSON छिपाएँ</translation>
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation>रॉ JSON दिखाएँ</translation>
    </message>
</context>
<context>
    <name>MessageLayout</name>
    <message>
        <source>Quick reply “%1”: %2</source>
        <translation>त्वरित जवाब “%1”: %2</translation>
    </message>
    <message>
        <source>Video: %1</source>
        <translation>वीडियो: %1</translation>
    </message>
    <message>
        <source>Image could not be loaded: %1</source>
        <translation>इमेज लोड नहीं की जा सकी: %1</translation>
    </message>
    <message>
        <source>Image: %1</source>
        <translation>इमेज: %1</translation>
    </message>
    <message>
        <source>Hide the message as received</source>
        <translation>प्राप्त रूप में संदेश छिपाएँ</translation>
    </message>
    <message>
        <source>Show the message as received (JSON)</source>
        <translation>प्राप्त रूप में संदेश दिखाएँ (JSON)</translation>
    </message>
    <message>
        <source>Opens %1 (%2)</source>
        <translation>%1 खोलता है (%2)</translation>
    </message>
    <message>
        <source>Quick replies: %1.</source>
        <translation>त्वरित जवाब: %1.</translation>
    </message>
    <message>
        <source>%1 (link to %2)</source>
        <translation>%1 (%2 का लिंक)</translation>
    </message>
    <message>
        <source>Button: %1.</source>
        <translation>बटन: %1.</translation>
    </message>
    <message>
        <source>Buttons: %1.</source>
        <translation>बटन: %1.</translation>
    </message>
    <message>
        <source>Image: %1.</source>
        <translation>इमेज: %1.</translation>
    </message>
    <message>
        <source>Image.</source>
        <translation>इमेज.</translation>
    </message>
    <message>
        <source>Carousel with 1 card: %1.</source>
        <translation>1 कार्ड वाला कैरोसेल: %1.</translation>
    </message>
    <message>
        <source>Carousel with %1 cards: %2.</source>
        <translation>%1 कार्ड वाला कैरोसेल: %2.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>फ़ॉर्म</translation>
    </message>
    <message>
        <source>Fields: %1.</source>
        <translation>फ़ील्ड: %1.</translation>
    </message>
    <message>
        <source>Unsupported message type %1.</source>
        <translation>असमर्थित संदेश प्रकार %1.</translation>
    </message>
    <message>
        <source>Invalid message: %1.</source>
        <translation>अमान्य संदेश: %1.</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Card: %1</source>
        <translation>कार्ड: %1</translation>
    </message>
    <message>
        <source>Video %1</source>
        <translation>वीडियो %1</translation>
    </message>
    <message>
        <source>Image %1</source>
        <translation>इमेज %1</translation>
    </message>
    <message>
        <source>Hide raw JSON</source>
        <translation>रॉ JSON छिपाएँ</translation>
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation>रॉ JSON दिखाएँ</translation>
    </message>
    <message>
        <source>Raw JSON</source>
        <translation>रॉ JSON</translation>
    </message>
    <message>
        <source>Field %1 (%2)</source>
        <translation>फ़ील्ड %1 (%2)</translation>
    </message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message>
        <source>&amp;OK</source>
        <translation>ठीक है(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>सहेजें(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>रद्द करें(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>बंद करें(&amp;C)</translation>
    </message>
    <message>
        <source>Close without Saving</source>
        <translation>सहेजे बिना बंद करें</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>पूर्ववत करें(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>फिर से करें(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>काटें(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>कॉपी करें(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>चिपकाएँ(&amp;P)</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>हटाएँ</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>सभी चुनें</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>ठीक है</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>सहेजें</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>सभी सहेजें</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>खोलें</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>हाँ (&amp;Y)</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>सभी के लिए हाँ (&amp;A)</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>नहीं (&amp;N)</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>सभी के लिए नहीं (&amp;O)</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>रोकें</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>फिर से कोशिश करें</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>अनदेखा करें</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>बंद करें</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>छोड़ें</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>सहायता</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>लागू करें</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>रीसेट करें</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>डिफ़ॉल्ट पुनर्स्थापित करें</translation>
    </message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message>
        <source>&amp;Undo</source>
        <translation>पूर्ववत करें(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>फिर से करें(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>काटें(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>कॉपी करें(&amp;C)</translation>
    </message>
    <message>
        <source>Copy &amp;Link Location</source>
        <translation>लिंक का पता कॉपी करें(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>चिपकाएँ(&amp;P)</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>हटाएँ</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>सभी चुनें</translation>
    </message>
</context>
<context>
    <name>ThreadListModel</name>
    <message>
        <source>With the team</source>
        <translation>टीम के पास</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>कतार में</translation>
    </message>
    <message>
        <source>User</source>
        <translation>उपयोगकर्ता</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>प्लेटफ़ॉर्म</translation>
    </message>
    <message>
        <source>State</source>
        <translation>स्थिति</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>एजेंट</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>स्वामी</translation>
    </message>
    <message>
        <source>Owner since</source>
        <translation>स्वामी कब से</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>प्रतीक्षा</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>अंतिम गतिविधि</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>अंतिम संदेश</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>अपठित</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>कतार में</translation>
    </message>
    <message>
        <source>assigned to %1</source>
        <translation>%1 को असाइन</translation>
    </message>
    <message>
        <source>waiting %1</source>
        <translation>%1 से प्रतीक्षा</translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n अपठित</numerusform>
            <numerusform>%n अपठित</numerusform>
        </translation>
    </message>
    <message>
        <source>last message: %1</source>
        <translation>अंतिम संदेश: %1</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the parts of a thread&apos;s summary for a screen reader</comment>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>ThreadState</name>
    <message>
        <source>Bot</source>
        <translation>बॉट</translation>
    </message>
    <message>
        <source>Waiting for agent</source>
        <translation>एजेंट की प्रतीक्षा में</translation>
    </message>
    <message>
        <source>With me</source>
        <translation>मेरे पास</translation>
    </message>
    <message>
        <source>With another receiver</source>
        <translation>किसी अन्य रिसीवर के पास</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>पूर्ण</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 से.</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 मिनट</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 घं. %2 मिनट</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 दिन</translation>
    </message>
</context>
<context>
    <name>console</name>
    <message>
        <source>cannot create the data directory %1</source>
        <translation>डेटा डायरेक्टरी %1 नहीं बनाई जा सकती</translation>
    </message>
    <message>
        <source>expected HOST:PORT, e.g. 127.0.0.1:8471</source>
        <translation>HOST:PORT अपेक्षित है, जैसे 127.0.0.1:8471</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IP address</source>
        <translation>&apos;%1&apos; कोई IP पता नहीं है</translation>
    </message>
    <message>
        <source>no stored user &apos;%1&apos;</source>
        <translation>कोई संग्रहीत उपयोगकर्ता &apos;%1&apos; नहीं है</translation>
    </message>
    <message>
        <source>cannot open the store %1: %2</source>
        <translation>स्टोर %1 नहीं खोला जा सकता: %2</translation>
    </message>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation>%1:%2 पर सुना नहीं जा सकता: %3</translation>
    </message>
    <message>
        <source>TRACT Console cannot start</source>
        <translation>TRACT Console शुरू नहीं हो सकता</translation>
    </message>
    <message>
        <source>could not restart</source>
        <translation>पुनः आरंभ नहीं हो सका</translation>
    </message>
    <message>
        <source>no stored conversations in %1</source>
        <translation>%1 में कोई सहेजी गई बातचीत नहीं</translation>
    </message>
    <message>
        <source>Token not saved</source>
        <translation>टोकन सहेजा नहीं गया</translation>
    </message>
    <message>
        <source>The token could not be stored in the keychain: %1
Set TRACT_TOKEN instead.</source>
        <translation>टोकन कीचेन में सहेजा नहीं जा सका: %1
इसके बजाय TRACT_TOKEN सेट करें.</translation>
    </message>
    <message>
        <source>Connecting to the hub at %1…</source>
        <translation>%1 पर हब से कनेक्ट हो रहा है…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <source>TRACT Console</source>
        <translation>TRACT Console</translation>
    </message>
    <message>
        <source>Desktop agent console for Haptik&apos;s TRACT API</source>
        <translation>Haptik के TRACT API के लिए डेस्कटॉप एजेंट कंसोल</translation>
    </message>
    <message>
        <source>Render one HSL message to a PNG and exit.</source>
        <translation>एक HSL संदेश को PNG में रेंडर करें और बाहर निकलें.</translation>
    </message>
    <message>
        <source>The PNG written by --render-hsl.</source>
        <translation>--render-hsl द्वारा लिखी जाने वाली PNG फ़ाइल.</translation>
    </message>
    <message>
        <source>Image width for --render-hsl.</source>
        <translation>--render-hsl के लिए इमेज की चौड़ाई.</translation>
    </message>
    <message>
        <source>The language of the window and messages, e.g. es or hi (default: View → Language, else the system&apos;s).</source>
        <translation>विंडो और संदेशों की भाषा, जैसे es या hi (डिफ़ॉल्ट: देखें → भाषा, अन्यथा सिस्टम की भाषा).</translation>
    </message>
    <message>
        <source>light or dark, for --render-hsl.</source>
        <translation>--render-hsl के लिए light या dark.</translation>
    </message>
    <message>
        <source>--width: expected a number of pixels, got &quot;%1&quot;</source>
        <translation>--width: पिक्सेल की संख्या अपेक्षित थी, मिला &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the signing key was not stored in the keychain (%1); name the 0600 file with --signing-key instead</source>
        <translation>साइनिंग कुंजी कीचेन में सहेजी नहीं गई (%1); इसके बजाय --signing-key से 0600 फ़ाइल बताएँ</translation>
    </message>
    <message>
        <source>signing key (%1) stored in the keychain for client id &apos;%2&apos;</source>
        <translation>साइनिंग कुंजी (%1) क्लाइंट आईडी &apos;%2&apos; के लिए कीचेन में सहेजी गई</translation>
    </message>
</context>
<context>
    <name>console::ConsoleLauncher</name>
    <message>
        <source>no TRACT token: set TRACT_TOKEN or store one in the keychain (%1)</source>
        <translation>कोई TRACT टोकन नहीं: TRACT_TOKEN सेट करें या कीचेन में एक टोकन संग्रहीत करें (%1)</translation>
    </message>
    <message>
        <source>cannot keep the hook path secret: %1</source>
        <translation>हुक पथ सीक्रेट को गोपनीय नहीं रखा जा सकता: %1</translation>
    </message>
    <message>
        <source>no keychain reachable: the token comes from TRACT_TOKEN and the hook path secret is kept in a file only you can read in %1</source>
        <translation>कोई कीचेन उपलब्ध नहीं: टोकन TRACT_TOKEN से लिया जाता है और हुक पथ सीक्रेट %1 में ऐसी फ़ाइल में रखा जाता है जिसे केवल आप पढ़ सकते हैं</translation>
    </message>
    <message>
        <source>--hook-secret-from-env: TRACT_HOOK_SECRET is empty or not set</source>
        <translation>--hook-secret-from-env: TRACT_HOOK_SECRET खाली है या सेट नहीं है</translation>
    </message>
    <message>
        <source>no signing key for client id &apos;%1&apos; in the keychain: store one with --import-signing-key FILE, or name a 0600 file with --signing-key</source>
        <translation>कीचेन में क्लाइंट आईडी &apos;%1&apos; के लिए कोई साइनिंग कुंजी नहीं: --import-signing-key FILE से एक सहेजें, या --signing-key से 0600 फ़ाइल बताएँ</translation>
    </message>
    <message>
        <source>cannot read the signing key from the keychain (%1); name a 0600 file with --signing-key instead</source>
        <translation>कीचेन से साइनिंग कुंजी पढ़ी नहीं जा सकी (%1); इसके बजाय --signing-key से 0600 फ़ाइल बताएँ</translation>
    </message>
    <message>
        <source>the signing key in the keychain cannot be used: %1</source>
        <translation>कीचेन की साइनिंग कुंजी उपयोग नहीं की जा सकती: %1</translation>
    </message>
    <message>
        <source>TRACT did not issue an access token: %1</source>
        <translation>TRACT ने एक्सेस टोकन जारी नहीं किया: %1</translation>
    </message>
    <message>
        <source>TRACT did not issue an access token yet (%1); trying again in %2 s and after that</source>
        <extracomment>%2: seconds until the next try</extracomment>
        <translation>TRACT ने अभी तक एक्सेस टोकन जारी नहीं किया (%1); %2 सेकंड में और उसके बाद फिर कोशिश होगी</translation>
    </message>
    <message>
        <source>no keychain reachable: the hook path secret is kept in a file only you can read in %1</source>
        <translation>कोई कीचेन उपलब्ध नहीं: हुक पथ का रहस्य %1 में ऐसी फ़ाइल में रखा गया है जिसे केवल आप पढ़ सकते हैं</translation>
    </message>
</context>
<context>
    <name>console::ConsoleOptions</name>
    <message>
        <source>Base URL of the TRACT API.</source>
        <translation>TRACT API का बेस URL.</translation>
    </message>
    <message>
        <source>Your ECT client id at Haptik.</source>
        <translation>Haptik पर आपकी ECT क्लाइंट id.</translation>
    </message>
    <message>
        <source>Address and port of the webhook listener; port 0 picks a free one.</source>
        <translation>वेबहुक लिसनर का पता और पोर्ट; पोर्ट 0 कोई खाली पोर्ट चुनता है.</translation>
    </message>
    <message>
        <source>Base URL TRACT reaches the listener at (reverse proxy, tunnel).</source>
        <translation>बेस URL जिस पर TRACT लिसनर तक पहुँचता है (रिवर्स प्रॉक्सी, टनल).</translation>
    </message>
    <message>
        <source>Where conversations are stored.</source>
        <translation>बातचीत कहाँ संग्रहीत की जाती हैं.</translation>
    </message>
    <message>
        <source>This console&apos;s id among thread-control listeners.</source>
        <translation>थ्रेड-नियंत्रण लिसनर में इस कंसोल की id.</translation>
    </message>
    <message>
        <source>Require hook signatures; the secret is read from TRACT_HOOK_SECRET.</source>
        <translation>हुक हस्ताक्षर आवश्यक करें; सीक्रेट TRACT_HOOK_SECRET से पढ़ा जाता है.</translation>
    </message>
    <message>
        <source>Run listener, client and store without a window.</source>
        <translation>लिसनर, क्लाइंट और स्टोर को बिना विंडो के चलाएँ.</translation>
    </message>
    <message>
        <source>Start a built-in sandbox and connect to it.</source>
        <translation>बिल्ट-इन सैंडबॉक्स शुरू करें और उससे कनेक्ट करें.</translation>
    </message>
    <message>
        <source>Print stored conversations of a user (or all) and exit.</source>
        <translation>किसी उपयोगकर्ता (या सभी) की संग्रहीत बातचीत प्रिंट करें और बाहर निकलें.</translation>
    </message>
    <message>
        <source>Export format.</source>
        <translation>एक्सपोर्ट फ़ॉर्मैट.</translation>
    </message>
    <message>
        <source>Run as the team hub: headless, owning the TRACT registration, serving consoles.</source>
        <translation>टीम हब के रूप में चलाएँ: बिना विंडो के, TRACT पंजीकरण का स्वामी, कंसोल को सेवा देता है.</translation>
    </message>
    <message>
        <source>Address and port of the hub&apos;s WebSocket server; port 0 picks a free one.</source>
        <translation>हब के WebSocket सर्वर का पता और पोर्ट; पोर्ट 0 कोई खाली पोर्ट चुनता है.</translation>
    </message>
    <message>
        <source>PEM certificate: the hub serves wss://.</source>
        <translation>PEM प्रमाणपत्र: हब wss:// पर सेवा देता है.</translation>
    </message>
    <message>
        <source>PEM private key for --hub-tls-cert.</source>
        <translation>--hub-tls-cert के लिए PEM निजी कुंजी.</translation>
    </message>
    <message>
        <source>An Origin allowed to connect to the hub (repeatable); others are refused.</source>
        <translation>एक Origin जिसे हब से कनेक्ट करने की अनुमति है (दोहराया जा सकता है); अन्य अस्वीकार किए जाते हैं.</translation>
    </message>
    <message>
        <source>Seconds an agent may be disconnected before its threads return to the queue.</source>
        <translation>कितने सेकंड तक कोई एजेंट डिस्कनेक्ट रह सकता है, इसके बाद उसके थ्रेड कतार में लौट जाते हैं.</translation>
    </message>
    <message>
        <source>Events the hub keeps for consoles to resume from.</source>
        <translation>हब कितने इवेंट रखता है, जिनसे कंसोल फिर से शुरू कर सकें.</translation>
    </message>
    <message>
        <source>Add an agent to the hub in --data-dir and print its token.</source>
        <translation>--data-dir में हब में एक एजेंट जोड़ें और उसका टोकन प्रिंट करें.</translation>
    </message>
    <message>
        <source>Revoke an agent of the hub in --data-dir.</source>
        <translation>--data-dir में हब के किसी एजेंट को रद्द करें.</translation>
    </message>
    <message>
        <source>List the agents of the hub in --data-dir.</source>
        <translation>--data-dir में हब के एजेंट की सूची दिखाएँ.</translation>
    </message>
    <message>
        <source>Role of --hub-add-agent.</source>
        <translation>--hub-add-agent की भूमिका.</translation>
    </message>
    <message>
        <source>Open threads --hub-add-agent is routed at once.</source>
        <translation>एक साथ कितने खुले थ्रेड --hub-add-agent को भेजे जाते हैं.</translation>
    </message>
    <message>
        <source>Open the window as a member of a team, fed by the hub at this URL.</source>
        <translation>इस URL पर हब से जुड़ी टीम के सदस्य के रूप में विंडो खोलें.</translation>
    </message>
    <message>
        <source>Read the agent token from TRACT_AGENT_TOKEN (then kept in the keychain).</source>
        <translation>एजेंट टोकन TRACT_AGENT_TOKEN से पढ़ें (फिर कीचेन में रखा जाता है).</translation>
    </message>
    <message>
        <source>expected an http or https URL</source>
        <translation>http या https URL अपेक्षित है</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>खाली नहीं होना चाहिए</translation>
    </message>
    <message>
        <source>expected json or text</source>
        <translation>json या text अपेक्षित है</translation>
    </message>
    <message>
        <source>expected a user id or &apos;all&apos;</source>
        <translation>उपयोगकर्ता id या &apos;all&apos; अपेक्षित है</translation>
    </message>
    <message>
        <source>--hub-tls-cert and --hub-tls-key go together</source>
        <translation>--hub-tls-cert और --hub-tls-key साथ में दिए जाते हैं</translation>
    </message>
    <message>
        <source>expected 0 to 86400 seconds</source>
        <translation>0 से 86400 सेकंड अपेक्षित हैं</translation>
    </message>
    <message>
        <source>expected a number of events, at least 100</source>
        <translation>इवेंट की संख्या अपेक्षित है, कम से कम 100</translation>
    </message>
    <message>
        <source>one of --hub-add-agent, --hub-remove-agent and --hub-list-agents at a time</source>
        <translation>एक समय में --hub-add-agent, --hub-remove-agent और --hub-list-agents में से केवल एक</translation>
    </message>
    <message>
        <source>expected an agent name</source>
        <translation>एजेंट का नाम अपेक्षित है</translation>
    </message>
    <message>
        <source>expected agent or supervisor</source>
        <translation>agent या supervisor अपेक्षित है</translation>
    </message>
    <message>
        <source>expected 1 to 1000 open threads</source>
        <translation>1 से 1000 खुले थ्रेड अपेक्षित हैं</translation>
    </message>
    <message>
        <source>expected a ws:// or wss:// URL, e.g. ws://127.0.0.1:8472</source>
        <translation>ws:// या wss:// URL अपेक्षित है, जैसे ws://127.0.0.1:8472</translation>
    </message>
    <message>
        <source>a team console talks to its hub only: drop --hub, --headless, --demo and --tract-url</source>
        <translation>टीम कंसोल केवल अपने हब से बात करता है: --hub, --headless, --demo और --tract-url हटाएँ</translation>
    </message>
    <message>
        <source>goes with --hub-url</source>
        <translation>--hub-url के साथ दिया जाता है</translation>
    </message>
    <message>
        <source>agent administration needs the hub&apos;s --data-dir</source>
        <translation>एजेंट प्रशासन के लिए हब की --data-dir आवश्यक है</translation>
    </message>
    <message>
        <source>--hub needs --tract-url</source>
        <translation>--hub के लिए --tract-url आवश्यक है</translation>
    </message>
    <message>
        <source>--headless needs --tract-url</source>
        <translation>--headless के लिए --tract-url आवश्यक है</translation>
    </message>
    <message>
        <source>Private key (PEM, mode 0600) that signs the access-token request; default: the keychain.</source>
        <translation>निजी कुंजी (PEM, मोड 0600) जो एक्सेस-टोकन अनुरोध पर हस्ताक्षर करती है; डिफ़ॉल्ट: कीचेन।</translation>
    </message>
    <message>
        <source>SignatureCertUUID of the certificate shared with Haptik: get the access token by a signed request.</source>
        <translation>Haptik के साथ साझा किए गए प्रमाणपत्र का SignatureCertUUID: हस्ताक्षरित अनुरोध से एक्सेस टोकन प्राप्त करें।</translation>
    </message>
    <message>
        <source>This ECT&apos;s FQDN, as in the shared certificate.</source>
        <translation>इस ECT का FQDN, जैसा साझा प्रमाणपत्र में है।</translation>
    </message>
    <message>
        <source>Store this private key (PEM, mode 0600) in the keychain for --client-id and exit.</source>
        <translation>इस निजी कुंजी (PEM, मोड 0600) को --client-id के लिए कीचेन में सहेजें और बाहर निकलें।</translation>
    </message>
    <message>
        <source>expected a PEM private key file</source>
        <translation>PEM निजी कुंजी फ़ाइल अपेक्षित थी</translation>
    </message>
    <message>
        <source>expected up to 128 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;</source>
        <translation>अधिकतम 128 अक्षर, अंक, &apos;.&apos;, &apos;_&apos; या &apos;-&apos; अपेक्षित थे</translation>
    </message>
    <message>
        <source>expected a host name like ect.example.com</source>
        <translation>ect.example.com जैसा होस्ट नाम अपेक्षित था</translation>
    </message>
    <message>
        <source>--cert-uuid needs --fqdn</source>
        <translation>--cert-uuid के साथ --fqdn चाहिए</translation>
    </message>
    <message>
        <source>goes with --cert-uuid</source>
        <translation>--cert-uuid के साथ ही चलता है</translation>
    </message>
    <message>
        <source>the demo and a team console get no token from TRACT</source>
        <translation>डेमो और टीम कंसोल TRACT से टोकन नहीं लेते</translation>
    </message>
    <message>
        <source>Delete completed conversations last active more than N days ago, in the background; 0 keeps everything. Default: the setting, else 0.</source>
        <translation>N दिनों से अधिक पहले अंतिम बार सक्रिय पूर्ण बातचीत पृष्ठभूमि में हटाएँ; 0 सब कुछ रखता है। डिफ़ॉल्ट: सेटिंग, अन्यथा 0।</translation>
    </message>
    <message>
        <source>expected 0 (keep everything) to %1 days, got &quot;%2&quot;</source>
        <translation>0 (सब कुछ रखें) से %1 दिन अपेक्षित थे, मिला "%2"</translation>
    </message>
</context>
<context>
    <name>console::HubBackend</name>
    <message>
        <source>The hub answered: %1</source>
        <translation>हब ने जवाब दिया: %1</translation>
    </message>
    <message>
        <source>The hub at %1 refused this agent&apos;s token (revoked or wrong).</source>
        <translation>%1 पर हब ने इस एजेंट का टोकन अस्वीकार कर दिया (रद्द या गलत).</translation>
    </message>
    <message>
        <source>The hub at %1 refused this agent&apos;s token: %2</source>
        <translation>%1 पर हब ने इस एजेंट का टोकन अस्वीकार कर दिया: %2</translation>
    </message>
    <message>
        <source>cannot create a private directory for the hub&apos;s threads: %1</source>
        <translation>हब के थ्रेड के लिए निजी डायरेक्टरी नहीं बनाई जा सकती: %1</translation>
    </message>
    <message>
        <source>Hub: %1 (supervisor)</source>
        <translation>हब: %1 (सुपरवाइज़र)</translation>
    </message>
    <message>
        <source>Hub: %1 (agent)</source>
        <translation>हब: %1 (एजेंट)</translation>
    </message>
    <message>
        <source>Connecting to the hub…</source>
        <translation>हब से कनेक्ट हो रहा है…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>फिर से कनेक्ट हो रहा है…</translation>
    </message>
    <message>
        <source>The hub refused the token</source>
        <translation>हब ने टोकन अस्वीकार कर दिया</translation>
    </message>
    <message>
        <source>Not connected to the hub</source>
        <translation>हब से कनेक्ट नहीं है</translation>
    </message>
    <message>
        <source>The hub may already have this reply: it can be cancelled once the hub has answered.</source>
        <translation>हो सकता है यह जवाब हब के पास पहले से हो: हब के जवाब देने के बाद इसे रद्द किया जा सकता है.</translation>
    </message>
</context>
<context>
    <name>console::LocalBackend</name>
    <message>
        <source>A hook was refused with %1: %2</source>
        <translation>एक हुक %1 के साथ अस्वीकार किया गया: %2</translation>
    </message>
    <message>
        <source>Hook %1/%2 not registered: %3</source>
        <translation>हुक %1/%2 पंजीकृत नहीं हुआ: %3</translation>
    </message>
    <message>
        <source>TRACT unreachable, retrying in %1 s</source>
        <translation>TRACT तक पहुँचा नहीं जा सकता, %1 सेकंड में फिर से कोशिश की जाएगी</translation>
    </message>
    <message>
        <source>TRACT reachable</source>
        <translation>TRACT उपलब्ध है</translation>
    </message>
    <message>
        <source>TRACT refuses the token</source>
        <translation>TRACT टोकन अस्वीकार करता है</translation>
    </message>
    <message>
        <source>TRACT unreachable</source>
        <translation>TRACT तक पहुँचा नहीं जा सकता</translation>
    </message>
    <message>
        <source>Checking TRACT…</source>
        <translation>TRACT की जाँच हो रही है…</translation>
    </message>
</context>
<context>
    <name>console::TranslationLoader</name>
    <message>
        <source>no %1 translation in %2: using English</source>
        <translation>%2 में %1 अनुवाद नहीं है: अंग्रेज़ी का उपयोग हो रहा है</translation>
    </message>
    <message>
        <source>cannot read the %1 translation %2 (damaged?): using English</source>
        <translation>%1 अनुवाद %2 पढ़ा नहीं जा सका (खराब है?): अंग्रेज़ी का उपयोग हो रहा है</translation>
    </message>
    <message>
        <source>unknown language &quot;%1&quot;: using English</source>
        <translation>अज्ञात भाषा &quot;%1&quot;: अंग्रेज़ी का उपयोग हो रहा है</translation>
    </message>
</context>
<context>
    <name>console::WindowController</name>
    <message>
        <source>Reply not saved</source>
        <translation>जवाब सहेजा नहीं गया</translation>
    </message>
    <message>
        <source>The reply could not be saved: %1</source>
        <translation>जवाब सहेजा नहीं जा सका: %1</translation>
    </message>
    <message>
        <source>You took control.</source>
        <translation>आपने नियंत्रण ले लिया.</translation>
    </message>
    <message>
        <source>Control passed.</source>
        <translation>नियंत्रण सौंप दिया गया.</translation>
    </message>
    <message>
        <source>Control requested; the owner will answer.</source>
        <translation>नियंत्रण का अनुरोध किया गया; स्वामी जवाब देगा.</translation>
    </message>
    <message>
        <source>wants to talk to an agent</source>
        <translation>एजेंट से बात करना चाहता है</translation>
    </message>
    <message>
        <source>Not saved in the keychain</source>
        <translation>कीचेन में सहेजा नहीं गया</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>सेटिंग सहेजी गईं</translation>
    </message>
    <message>
        <source>Connection settings take effect when TRACT Console starts next time.</source>
        <translation>कनेक्शन सेटिंग अगली बार TRACT Console शुरू होने पर लागू होंगी.</translation>
    </message>
    <message>
        <source>Replies not sent yet</source>
        <translation>जवाब अभी भेजे नहीं गए</translation>
    </message>
    <message numerus="yes">
        <source>%n reply(s) have not reached the hub yet and will be lost if you quit now.</source>
        <translation>
            <numerusform>%n जवाब अभी तक हब तक नहीं पहुँचा है और अभी बाहर निकलने पर खो जाएगा.</numerusform>
            <numerusform>%n जवाब अभी तक हब तक नहीं पहुँचे हैं और अभी बाहर निकलने पर खो जाएँगे.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hsl</name>
    <message>
        <source>empty label</source>
        <translation>खाली लेबल</translation>
    </message>
    <message>
        <source>label longer than 256 characters</source>
        <translation>लेबल 256 वर्णों से लंबा है</translation>
    </message>
    <message>
        <source>label longer than %1 characters; some channels cut it</source>
        <translation>लेबल %1 वर्णों से लंबा है; कुछ चैनल इसे काट देते हैं</translation>
    </message>
    <message>
        <source>more than 100 items</source>
        <translation>100 से अधिक आइटम</translation>
    </message>
    <message>
        <source>only TEXT and BUTTON messages can be sent</source>
        <translation>केवल TEXT और BUTTON संदेश भेजे जा सकते हैं</translation>
    </message>
    <message>
        <source>longer than 65536 characters</source>
        <translation>65536 वर्णों से लंबा</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>खाली</translation>
    </message>
    <message>
        <source>quick replies must be TEXT_ONLY</source>
        <translation>त्वरित जवाब TEXT_ONLY होने चाहिए</translation>
    </message>
    <message>
        <source>at least one button</source>
        <translation>कम से कम एक बटन</translation>
    </message>
    <message>
        <source>more than %1 buttons; quick replies suit more options</source>
        <translation>%1 से अधिक बटन; ज़्यादा विकल्पों के लिए त्वरित जवाब बेहतर हैं</translation>
    </message>
    <message>
        <source>expected an http or https URL</source>
        <translation>http या https URL अपेक्षित है</translation>
    </message>
    <message>
        <source>only LINK and TEXT_ONLY buttons can be sent</source>
        <translation>केवल LINK और TEXT_ONLY बटन भेजे जा सकते हैं</translation>
    </message>
    <message>
        <source>Unreadable message</source>
        <translation>अपठनीय संदेश</translation>
    </message>
    <message>
        <source>Quick replies: %1</source>
        <translation>त्वरित जवाब: %1</translation>
    </message>
    <message>
        <source>🔗 %1</source>
        <translation>🔗 %1</translation>
    </message>
    <message>
        <source>🖼 Image</source>
        <translation>🖼 इमेज</translation>
    </message>
    <message>
        <source>🖼 %1</source>
        <translation>🖼 %1</translation>
    </message>
    <message>
        <source>▶ Video</source>
        <translation>▶ वीडियो</translation>
    </message>
    <message>
        <source>▶ %1</source>
        <translation>▶ %1</translation>
    </message>
    <message>
        <source>Carousel: %1</source>
        <translation>कैरोसेल: %1</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>फ़ॉर्म</translation>
    </message>
    <message>
        <source>Form: %1</source>
        <translation>फ़ॉर्म: %1</translation>
    </message>
    <message>
        <source>Silent action</source>
        <translation>मौन कार्रवाई</translation>
    </message>
    <message>
        <source>App action</source>
        <translation>ऐप कार्रवाई</translation>
    </message>
    <message>
        <source>App action: %1</source>
        <translation>ऐप कार्रवाई: %1</translation>
    </message>
    <message>
        <source>[unsupported %1]</source>
        <translation>[असमर्थित %1]</translation>
    </message>
    <message>
        <source>expected string</source>
        <translation>स्ट्रिंग अपेक्षित है</translation>
    </message>
    <message>
        <source>expected object</source>
        <translation>ऑब्जेक्ट अपेक्षित है</translation>
    </message>
    <message>
        <source>expected array</source>
        <translation>ऐरे अपेक्षित है</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>मौजूद नहीं</translation>
    </message>
    <message>
        <source>expected at least one card</source>
        <translation>कम से कम एक कार्ड अपेक्षित है</translation>
    </message>
    <message>
        <source>larger than 1048576 bytes</source>
        <translation>1048576 बाइट से बड़ा</translation>
    </message>
    <message>
        <source>nested deeper than 32 levels</source>
        <translation>32 स्तरों से अधिक गहराई तक नेस्टेड</translation>
    </message>
    <message>
        <source>not JSON</source>
        <translation>JSON नहीं है</translation>
    </message>
    <message>
        <source>expected HSL object, got a string</source>
        <translation>HSL ऑब्जेक्ट अपेक्षित था, स्ट्रिंग मिली</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>मेमोरी समाप्त</translation>
    </message>
    <message>
        <source>internal error</source>
        <translation>आंतरिक त्रुटि</translation>
    </message>
    <message>
        <source>expected object or string</source>
        <translation>ऑब्जेक्ट या स्ट्रिंग अपेक्षित है</translation>
    </message>
</context>
<context>
    <name>hslui</name>
    <message>
        <source>--render-hsl needs a GUI application instance</source>
        <translation>--render-hsl के लिए GUI ऐप्लिकेशन इंस्टेंस आवश्यक है</translation>
    </message>
    <message>
        <source>--render-hsl: no input file given</source>
        <translation>--render-hsl: कोई इनपुट फ़ाइल नहीं दी गई</translation>
    </message>
    <message>
        <source>--render-hsl: --output OUT.png is required</source>
        <translation>--render-hsl: --output OUT.png आवश्यक है</translation>
    </message>
    <message>
        <source>--width: expected %1 to %2 pixels, got %3</source>
        <translation>--width: %1 से %2 पिक्सेल अपेक्षित थे, %3 मिले</translation>
    </message>
    <message>
        <source>--theme: expected light or dark, got &quot;%1&quot;</source>
        <translation>--theme: light या dark अपेक्षित था, &quot;%1&quot; मिला</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 पढ़ा नहीं जा सकता: %2</translation>
    </message>
    <message>
        <source>%1: invalid HSL: %2</source>
        <translation>%1: अमान्य HSL: %2</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>%1 लिखा नहीं जा सकता</translation>
    </message>
</context>
<context>
    <name>http</name>
    <message>
        <source>store unavailable; retry later</source>
        <translation>स्टोर उपलब्ध नहीं है; बाद में फिर से कोशिश करें</translation>
    </message>
</context>
<context>
    <name>listener</name>
    <message>
        <source>missing X-Hub-Signature or X-Hub-Signature-256 header</source>
        <translation>X-Hub-Signature या X-Hub-Signature-256 हेडर मौजूद नहीं है</translation>
    </message>
    <message>
        <source>X-Hub-Signature-256 does not match the body</source>
        <translation>X-Hub-Signature-256 बॉडी से मेल नहीं खाता</translation>
    </message>
    <message>
        <source>X-Hub-Signature does not match the body</source>
        <translation>X-Hub-Signature बॉडी से मेल नहीं खाता</translation>
    </message>
</context>
<context>
    <name>registration</name>
    <message>
        <source>pending</source>
        <translation>लंबित</translation>
    </message>
    <message>
        <source>registered</source>
        <translation>पंजीकृत</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>विफल</translation>
    </message>
</context>
<context>
    <name>sandbox</name>
    <message>
        <source>expected milliseconds between 0 and 3600000</source>
        <translation>0 से 3600000 के बीच मिलीसेकंड अपेक्षित हैं</translation>
    </message>
    <message>
        <source>required field missing</source>
        <translation>आवश्यक फ़ील्ड मौजूद नहीं है</translation>
    </message>
    <message>
        <source>expected string</source>
        <translation>स्ट्रिंग अपेक्षित है</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>खाली नहीं होना चाहिए</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>%1 वर्णों से लंबा</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a listener on this thread</source>
        <translation>&apos;%1&apos; इस थ्रेड पर लिसनर नहीं है</translation>
    </message>
    <message>
        <source>only primary receivers (iva, sac) may take control</source>
        <translation>केवल प्राथमिक रिसीवर (iva, sac) नियंत्रण ले सकते हैं</translation>
    </message>
    <message>
        <source>only the owner (%1) may pass control</source>
        <translation>केवल स्वामी (%1) नियंत्रण सौंप सकता है</translation>
    </message>
    <message>
        <source>&apos;%1&apos; already owns this thread</source>
        <translation>&apos;%1&apos; पहले से इस थ्रेड का स्वामी है</translation>
    </message>
    <message>
        <source>control may only be passed to a primary or the default receiver</source>
        <translation>नियंत्रण केवल किसी प्राथमिक या डिफ़ॉल्ट रिसीवर को सौंपा जा सकता है</translation>
    </message>
    <message>
        <source>request is not supported</source>
        <translation>अनुरोध समर्थित नहीं है</translation>
    </message>
    <message>
        <source>the owner (%1) does not answer control requests</source>
        <translation>स्वामी (%1) नियंत्रण अनुरोधों का जवाब नहीं देता</translation>
    </message>
    <message>
        <source>unknown thread-control type</source>
        <translation>अज्ञात थ्रेड-नियंत्रण प्रकार</translation>
    </message>
    <message>
        <source>A local TRACT server with a simulated bot and end users, for development, tests and demos.</source>
        <translation>सिम्युलेटेड बॉट और एंड यूज़र वाला एक लोकल TRACT सर्वर, डेवलपमेंट, टेस्ट और डेमो के लिए.</translation>
    </message>
    <message>
        <source>signed token issue: SignatureCertUUID %1, certificate valid %2 to %3</source>
        <translation>हस्ताक्षरित टोकन जारी करना: SignatureCertUUID %1, प्रमाणपत्र %2 से %3 तक मान्य</translation>
    </message>
</context>
<context>
    <name>sandbox::LoadSpec</name>
    <message>
        <source>&apos;%1&apos; is not key=positive number</source>
        <translation>&apos;%1&apos; key=धनात्मक संख्या के रूप में नहीं है</translation>
    </message>
    <message>
        <source>users must be a whole number up to 1000000</source>
        <translation>users 1000000 तक की पूर्ण संख्या होनी चाहिए</translation>
    </message>
    <message>
        <source>unknown key &apos;%1&apos; (use users, rate, duration)</source>
        <translation>अज्ञात कुंजी &apos;%1&apos; (users, rate, duration का उपयोग करें)</translation>
    </message>
    <message>
        <source>expected users=N,rate=R,duration=S</source>
        <translation>users=N,rate=R,duration=S अपेक्षित है</translation>
    </message>
</context>
<context>
    <name>sandbox::Reader</name>
    <message>
        <source>required field missing</source>
        <translation>आवश्यक फ़ील्ड मौजूद नहीं है</translation>
    </message>
    <message>
        <source>expected string</source>
        <translation>स्ट्रिंग अपेक्षित है</translation>
    </message>
    <message>
        <source>expected a number from 0 to 86400000</source>
        <translation>0 से 86400000 तक की संख्या अपेक्षित है</translation>
    </message>
</context>
<context>
    <name>sandbox::SandboxConfig</name>
    <message>
        <source>&apos;%1&apos; is not a number of seconds between 0 and 86400</source>
        <translation>&apos;%1&apos; 0 से 86400 के बीच सेकंड की संख्या नहीं है</translation>
    </message>
    <message>
        <source>at most 100 retries</source>
        <translation>अधिकतम 100 पुनः प्रयास</translation>
    </message>
    <message>
        <source>Address and port to listen on; port 0 picks a free one.</source>
        <translation>सुनने के लिए पता और पोर्ट; पोर्ट 0 कोई खाली पोर्ट चुनता है.</translation>
    </message>
    <message>
        <source>The ECT client id TRACT expects.</source>
        <translation>वह ECT क्लाइंट id जिसकी TRACT अपेक्षा करता है.</translation>
    </message>
    <message>
        <source>The bearer token TRACT expects.</source>
        <translation>वह बेयरर टोकन जिसकी TRACT अपेक्षा करता है.</translation>
    </message>
    <message>
        <source>Sign every hook with HMAC-SHA1/SHA256 of this secret.</source>
        <translation>हर हुक पर इस सीक्रेट के HMAC-SHA1/SHA256 से हस्ताक्षर करें.</translation>
    </message>
    <message>
        <source>Scenario to play: a name under resources/scenarios or a JSON file.</source>
        <translation>चलाने के लिए परिदृश्य: resources/scenarios में कोई नाम या कोई JSON फ़ाइल.</translation>
    </message>
    <message>
        <source>Seconds between hook delivery retries.</source>
        <translation>हुक डिलीवरी के पुनः प्रयासों के बीच सेकंड.</translation>
    </message>
    <message>
        <source>Apply Haptik&apos;s documented thread-control rules.</source>
        <translation>Haptik के दस्तावेज़ित थ्रेड-नियंत्रण नियम लागू करें.</translation>
    </message>
    <message>
        <source>Generate load and report delivery figures, then exit.</source>
        <translation>लोड बनाएँ और डिलीवरी आँकड़े दिखाएँ, फिर बाहर निकलें.</translation>
    </message>
    <message>
        <source>Seed for the simulated participants&apos; choices.</source>
        <translation>सिम्युलेटेड प्रतिभागियों के विकल्पों के लिए सीड.</translation>
    </message>
    <message>
        <source>Milliseconds the bot takes to answer.</source>
        <translation>बॉट को जवाब देने में लगने वाले मिलीसेकंड.</translation>
    </message>
    <message>
        <source>Milliseconds before a simulated user answers an agent; 0 never.</source>
        <translation>सिम्युलेटेड उपयोगकर्ता के एजेंट को जवाब देने से पहले मिलीसेकंड; 0 = कभी नहीं.</translation>
    </message>
    <message>
        <source>Milliseconds before the bot or SAC grants a control request.</source>
        <translation>बॉट या SAC के नियंत्रण अनुरोध स्वीकार करने से पहले मिलीसेकंड.</translation>
    </message>
    <message>
        <source>Milliseconds to wait for a hook acknowledgement.</source>
        <translation>हुक की पावती के लिए प्रतीक्षा के मिलीसेकंड.</translation>
    </message>
    <message>
        <source>expected HOST:PORT, e.g. 127.0.0.1:8470</source>
        <translation>HOST:PORT अपेक्षित है, जैसे 127.0.0.1:8470</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IP address</source>
        <translation>&apos;%1&apos; कोई IP पता नहीं है</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>खाली नहीं होना चाहिए</translation>
    </message>
    <message>
        <source>&apos;iva&apos; and &apos;sac&apos; are Haptik&apos;s own receivers</source>
        <translation>&apos;iva&apos; और &apos;sac&apos; Haptik के अपने रिसीवर हैं</translation>
    </message>
    <message>
        <source>expected a non-negative whole number</source>
        <translation>शून्य या धनात्मक पूर्ण संख्या अपेक्षित है</translation>
    </message>
    <message>
        <source>must be positive</source>
        <translation>धनात्मक होना चाहिए</translation>
    </message>
    <message>
        <source>Issue access tokens to requests signed with this certificate&apos;s key and accept only those tokens.</source>
        <translation>इस प्रमाणपत्र की कुंजी से हस्ताक्षरित अनुरोधों को एक्सेस टोकन जारी करें और केवल वही टोकन स्वीकार करें।</translation>
    </message>
    <message>
        <source>The SignatureCertUUID of --require-signed-token (default: derived from the certificate, printed at start).</source>
        <translation>--require-signed-token का SignatureCertUUID (डिफ़ॉल्ट: प्रमाणपत्र से निकाला गया, शुरू में दिखाया जाता है)।</translation>
    </message>
    <message>
        <source>Seconds an issued access token is valid.</source>
        <translation>जारी किया गया एक्सेस टोकन कितने सेकंड मान्य है।</translation>
    </message>
    <message>
        <source>expected a PEM certificate file</source>
        <translation>PEM प्रमाणपत्र फ़ाइल अपेक्षित थी</translation>
    </message>
    <message>
        <source>expected up to 128 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;</source>
        <translation>अधिकतम 128 अक्षर, अंक, &apos;.&apos;, &apos;_&apos; या &apos;-&apos; अपेक्षित थे</translation>
    </message>
    <message>
        <source>goes with --require-signed-token</source>
        <translation>--require-signed-token के साथ ही चलता है</translation>
    </message>
    <message>
        <source>expected 1 to 86400 seconds</source>
        <translation>1 से 86400 सेकंड अपेक्षित थे</translation>
    </message>
</context>
<context>
    <name>sandbox::SandboxServer</name>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation>%1:%2 पर सुना नहीं जा सकता: %3</translation>
    </message>
    <message>
        <source>method %1 not allowed; use GET</source>
        <translation>मेथड %1 की अनुमति नहीं है; GET का उपयोग करें</translation>
    </message>
    <message>
        <source>no such endpoint: %1</source>
        <translation>ऐसा कोई एंडपॉइंट नहीं: %1</translation>
    </message>
    <message>
        <source>method %1 not allowed; use %2</source>
        <translation>मेथड %1 की अनुमति नहीं है; %2 का उपयोग करें</translation>
    </message>
    <message>
        <source>missing or unknown client-id header</source>
        <translation>client-id हेडर मौजूद नहीं है या अज्ञात है</translation>
    </message>
    <message>
        <source>missing or wrong Authorization: Bearer token</source>
        <translation>Authorization: Bearer टोकन मौजूद नहीं है या गलत है</translation>
    </message>
    <message>
        <source>the control API answers loopback clients only</source>
        <translation>कंट्रोल API केवल लूपबैक क्लाइंट को जवाब देता है</translation>
    </message>
    <message>
        <source>unknown hook %1/%2</source>
        <translation>अज्ञात हुक %1/%2</translation>
    </message>
    <message>
        <source>expected an absolute http or https URL</source>
        <translation>पूर्ण (absolute) http या https URL अपेक्षित है</translation>
    </message>
    <message>
        <source>unknown user_id &apos;%1&apos;</source>
        <translation>अज्ञात user_id &apos;%1&apos;</translation>
    </message>
    <message>
        <source>expected a string holding serialized HSL JSON</source>
        <translation>सीरियलाइज़्ड HSL JSON वाली स्ट्रिंग अपेक्षित है</translation>
    </message>
    <message>
        <source>expected object</source>
        <translation>ऑब्जेक्ट अपेक्षित है</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>%1 वर्णों से लंबा</translation>
    </message>
    <message>
        <source>expected an HSL object with a string &quot;type&quot;</source>
        <translation>स्ट्रिंग &quot;type&quot; वाला HSL ऑब्जेक्ट अपेक्षित है</translation>
    </message>
    <message>
        <source>expected a non-empty string, or message_body</source>
        <translation>गैर-खाली स्ट्रिंग या message_body अपेक्षित है</translation>
    </message>
    <message>
        <source>expected string or object</source>
        <translation>स्ट्रिंग या ऑब्जेक्ट अपेक्षित है</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a listener (iva, sac or %2)</source>
        <translation>&apos;%1&apos; लिसनर नहीं है (iva, sac या %2)</translation>
    </message>
    <message>
        <source>no such media</source>
        <translation>ऐसा कोई मीडिया नहीं</translation>
    </message>
    <message>
        <source>no such media: %1</source>
        <translation>ऐसा कोई मीडिया नहीं: %1</translation>
    </message>
    <message>
        <source>missing Authorization: Bearer token</source>
        <translation>Authorization: Bearer टोकन नहीं है</translation>
    </message>
    <message>
        <source>SignatureCertChainUrl is not supported here; pre-share the certificate and send SignatureCertUUID</source>
        <translation>SignatureCertChainUrl यहाँ समर्थित नहीं है; प्रमाणपत्र पहले साझा करें और SignatureCertUUID भेजें</translation>
    </message>
    <message>
        <source>missing SignatureCertUUID header</source>
        <translation>SignatureCertUUID हेडर नहीं है</translation>
    </message>
    <message>
        <source>SignatureCertUUID names no certificate known here</source>
        <translation>SignatureCertUUID यहाँ ज्ञात किसी प्रमाणपत्र का नाम नहीं है</translation>
    </message>
    <message>
        <source>missing Signature header</source>
        <translation>Signature हेडर नहीं है</translation>
    </message>
    <message>
        <source>the body is larger than %1 bytes</source>
        <translation>बॉडी %1 बाइट से बड़ी है</translation>
    </message>
    <message>
        <source>unknown client id &apos;%1&apos;</source>
        <translation>अज्ञात क्लाइंट आईडी &apos;%1&apos;</translation>
    </message>
    <message>
        <source>%1 is %2 s from TRACT&apos;s clock (%3); at most %4 s are allowed</source>
        <translation>%1 TRACT की घड़ी (%3) से %2 सेकंड दूर है; अधिकतम %4 सेकंड की अनुमति है</translation>
    </message>
</context>
<context>
    <name>sandbox::SandboxWorld</name>
    <message>
        <source>unknown user_id &apos;%1&apos;</source>
        <translation>अज्ञात user_id &apos;%1&apos;</translation>
    </message>
    <message>
        <source>user &apos;%1&apos; is owned by &apos;%2&apos;; only the owner may message the user (take or request control first)</source>
        <translation>उपयोगकर्ता &apos;%1&apos; का स्वामी &apos;%2&apos; है; केवल स्वामी ही उपयोगकर्ता को संदेश भेज सकता है (पहले नियंत्रण लें या उसका अनुरोध करें)</translation>
    </message>
    <message>
        <source>message_body.type: unknown HSL type &apos;%1&apos;</source>
        <translation>message_body.type: अज्ञात HSL प्रकार &apos;%1&apos;</translation>
    </message>
    <message>
        <source>IVA (bot)</source>
        <translation>IVA (बॉट)</translation>
    </message>
    <message>
        <source>Smart Agent Chat</source>
        <translation>Smart Agent Chat</translation>
    </message>
    <message>
        <source>External chat tool (%1)</source>
        <translation>बाहरी चैट टूल (%1)</translation>
    </message>
</context>
<context>
    <name>sandbox::Scenario</name>
    <message>
        <source>no file &apos;%1&apos; and no built-in scenario of that name (built in: %2)</source>
        <translation>कोई फ़ाइल &apos;%1&apos; नहीं और इस नाम का कोई बिल्ट-इन परिदृश्य नहीं (बिल्ट-इन: %2)</translation>
    </message>
    <message>
        <source>larger than 16 MiB</source>
        <translation>16 MiB से बड़ा</translation>
    </message>
    <message>
        <source>invalid JSON at offset %1: %2</source>
        <translation>ऑफ़सेट %1 पर अमान्य JSON: %2</translation>
    </message>
    <message>
        <source>expected a JSON object</source>
        <translation>JSON ऑब्जेक्ट अपेक्षित है</translation>
    </message>
    <message>
        <source>expected an HSL object with a string &quot;type&quot;</source>
        <translation>स्ट्रिंग &quot;type&quot; वाला HSL ऑब्जेक्ट अपेक्षित है</translation>
    </message>
    <message>
        <source>a step needs one of say, message_body, event, owner or complete</source>
        <translation>किसी स्टेप में say, message_body, event, owner या complete में से एक आवश्यक है</translation>
    </message>
    <message>
        <source>at least 100</source>
        <translation>कम से कम 100</translation>
    </message>
</context>
<context>
    <name>sandbox::SimulatedBot</name>
    <message>
        <source>Details</source>
        <translation>विवरण</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>चुनें</translation>
    </message>
    <message>
        <source>Basic</source>
        <translation>बेसिक</translation>
    </message>
    <message>
        <source>₹199 / month</source>
        <translation>₹199 / माह</translation>
    </message>
    <message>
        <source>1 device, standard support</source>
        <translation>1 डिवाइस, स्टैंडर्ड सपोर्ट</translation>
    </message>
    <message>
        <source>I choose the Basic plan</source>
        <translation>मुझे बेसिक प्लान चाहिए</translation>
    </message>
    <message>
        <source>Plus</source>
        <translation>प्लस</translation>
    </message>
    <message>
        <source>₹399 / month</source>
        <translation>₹399 / माह</translation>
    </message>
    <message>
        <source>3 devices, priority support</source>
        <translation>3 डिवाइस, प्राथमिकता सपोर्ट</translation>
    </message>
    <message>
        <source>I choose the Plus plan</source>
        <translation>मुझे प्लस प्लान चाहिए</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>फ़ैमिली</translation>
    </message>
    <message>
        <source>₹599 / month</source>
        <translation>₹599 / माह</translation>
    </message>
    <message>
        <source>6 devices, a dedicated agent</source>
        <translation>6 डिवाइस, एक समर्पित एजेंट</translation>
    </message>
    <message>
        <source>I choose the Family plan</source>
        <translation>मुझे फ़ैमिली प्लान चाहिए</translation>
    </message>
    <message>
        <source>Here are our plans</source>
        <translation>ये हैं हमारे प्लान</translation>
    </message>
    <message>
        <source>These might help:</source>
        <translation>ये मददगार हो सकते हैं:</translation>
    </message>
    <message>
        <source>Open help centre</source>
        <translation>सहायता केंद्र खोलें</translation>
    </message>
    <message>
        <source>Download invoice (PDF)</source>
        <translation>इनवॉइस डाउनलोड करें (PDF)</translation>
    </message>
    <message>
        <source>Talk to an agent</source>
        <translation>एजेंट से बात करें</translation>
    </message>
    <message>
        <source>I want to talk to an agent</source>
        <translation>मुझे किसी एजेंट से बात करनी है</translation>
    </message>
    <message>
        <source>Delivery address</source>
        <translation>डिलीवरी पता</translation>
    </message>
    <message>
        <source>Please fill in</source>
        <translation>कृपया भरें</translation>
    </message>
    <message>
        <source>Street and number</source>
        <translation>सड़क और मकान नंबर</translation>
    </message>
    <message>
        <source>City</source>
        <translation>शहर</translation>
    </message>
    <message>
        <source>Mumbai</source>
        <translation>मुंबई</translation>
    </message>
    <message>
        <source>Pune</source>
        <translation>पुणे</translation>
    </message>
    <message>
        <source>Bengaluru</source>
        <translation>बेंगलुरु</translation>
    </message>
    <message>
        <source>Delivery date</source>
        <translation>डिलीवरी की तारीख</translation>
    </message>
    <message>
        <source>Sure, let me connect you to one of our agents. Please stay with me.</source>
        <translation>ज़रूर, आपको हमारे किसी एजेंट से जोड़ा जा रहा है. कृपया बने रहें.</translation>
    </message>
    <message>
        <source>Connecting you to an agent</source>
        <translation>आपको एजेंट से जोड़ा जा रहा है</translation>
    </message>
    <message>
        <source>*Great choice!* To finish, I need your delivery address.</source>
        <translation>*बढ़िया चुनाव!* पूरा करने के लिए मुझे आपका डिलीवरी पता चाहिए.</translation>
    </message>
    <message>
        <source>Would you like to compare them?</source>
        <translation>क्या आप इनकी तुलना करना चाहेंगे?</translation>
    </message>
    <message>
        <source>Help links</source>
        <translation>सहायता लिंक</translation>
    </message>
    <message>
        <source>Our flagship store</source>
        <translation>हमारा फ़्लैगशिप स्टोर</translation>
    </message>
    <message>
        <source>Happy to help. Have a lovely day!</source>
        <translation>मदद करके खुशी हुई. आपका दिन शुभ हो!</translation>
    </message>
    <message>
        <source>there</source>
        <translation>जी</translation>
    </message>
    <message>
        <source>Hi %1! I&apos;m the demo assistant. What can I do for you?</source>
        <translation>नमस्ते %1! मैं डेमो असिस्टेंट हूँ. बताइए, आपकी क्या मदद करूँ?</translation>
    </message>
    <message>
        <source>See plans</source>
        <translation>प्लान देखें</translation>
    </message>
    <message>
        <source>Show the store</source>
        <translation>स्टोर दिखाएँ</translation>
    </message>
    <message>
        <source>Thanks! Can you check my order status too?</source>
        <translation>धन्यवाद! क्या आप मेरे ऑर्डर की स्थिति भी देख सकते हैं?</translation>
    </message>
    <message>
        <source>Okay, that makes sense.</source>
        <translation>ठीक है, यह समझ में आता है.</translation>
    </message>
    <message>
        <source>How long will that take?</source>
        <translation>इसमें कितना समय लगेगा?</translation>
    </message>
    <message>
        <source>Great, thank you so much!</source>
        <translation>बढ़िया, बहुत-बहुत धन्यवाद!</translation>
    </message>
</context>
<context>
    <name>secrets::ConsoleSecrets</name>
    <message>
        <source>No token is stored for client id &apos;%1&apos;. Enter it in the connection settings or set TRACT_TOKEN.</source>
        <translation>क्लाइंट id &apos;%1&apos; के लिए कोई टोकन संग्रहीत नहीं है. इसे कनेक्शन सेटिंग में दर्ज करें या TRACT_TOKEN सेट करें.</translation>
    </message>
    <message>
        <source>Set TRACT_TOKEN to pass the token instead.</source>
        <translation>इसके बजाय टोकन देने के लिए TRACT_TOKEN सेट करें.</translation>
    </message>
    <message>
        <source>--agent-token-from-env: TRACT_AGENT_TOKEN is empty or not set</source>
        <translation>--agent-token-from-env: TRACT_AGENT_TOKEN खाली है या सेट नहीं है</translation>
    </message>
    <message>
        <source>The agent token was not saved in the keychain (%1); pass it with --agent-token-from-env next time too.</source>
        <translation>एजेंट टोकन कीचेन में सहेजा नहीं गया (%1); अगली बार भी इसे --agent-token-from-env के साथ दें.</translation>
    </message>
    <message>
        <source>No agent token is stored for the hub at %1. Ask your supervisor for one and start once with TRACT_AGENT_TOKEN set and --agent-token-from-env.</source>
        <translation>%1 पर हब के लिए कोई एजेंट टोकन संग्रहीत नहीं है. अपने सुपरवाइज़र से एक टोकन माँगें और एक बार TRACT_AGENT_TOKEN सेट करके --agent-token-from-env के साथ शुरू करें.</translation>
    </message>
    <message>
        <source>Pass the token with TRACT_AGENT_TOKEN and --agent-token-from-env.</source>
        <translation>टोकन TRACT_AGENT_TOKEN और --agent-token-from-env के साथ दें.</translation>
    </message>
</context>
<context>
    <name>secrets::FileSecretFallback</name>
    <message>
        <source>No secret file for &apos;%1&apos; in %2.</source>
        <translation>%2 में &apos;%1&apos; के लिए कोई सीक्रेट फ़ाइल नहीं है.</translation>
    </message>
    <message>
        <source>Refusing to read %1: it is not a regular file.</source>
        <translation>%1 पढ़ने से इनकार: यह सामान्य फ़ाइल नहीं है.</translation>
    </message>
    <message>
        <source>Refusing to read %1: it belongs to another user.</source>
        <translation>%1 पढ़ने से इनकार: यह किसी अन्य उपयोगकर्ता की है.</translation>
    </message>
    <message>
        <source>Refusing to read %1: other users may read it (mode %2). Treat the secret as leaked: replace it, then make the file private with chmod 600.</source>
        <translation>%1 पढ़ने से इनकार: अन्य उपयोगकर्ता इसे पढ़ सकते हैं (मोड %2). सीक्रेट को लीक हुआ मानें: इसे बदलें, फिर chmod 600 से फ़ाइल को निजी बनाएँ.</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>%1 पढ़ा नहीं जा सका: %2</translation>
    </message>
    <message>
        <source>Could not create the private directory %1.</source>
        <translation>निजी डायरेक्टरी %1 नहीं बनाई जा सकी.</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 लिखा नहीं जा सका: %2</translation>
    </message>
    <message>
        <source>Could not make %1 private to its owner.</source>
        <translation>%1 को उसके स्वामी के लिए निजी नहीं बनाया जा सका.</translation>
    </message>
    <message>
        <source>Could not delete %1: %2</source>
        <translation>%1 हटाया नहीं जा सका: %2</translation>
    </message>
</context>
<context>
    <name>secrets::SecretStore</name>
    <message>
        <source>The keychain has no entry &apos;%1&apos;.</source>
        <translation>कीचेन में &apos;%1&apos; की कोई प्रविष्टि नहीं है.</translation>
    </message>
    <message>
        <source>The keychain refused access to &apos;%1&apos;: %2</source>
        <translation>कीचेन ने &apos;%1&apos; तक पहुँच अस्वीकार कर दी: %2</translation>
    </message>
    <message>
        <source>The keychain failed on &apos;%1&apos;: %2</source>
        <translation>&apos;%1&apos; पर कीचेन विफल रहा: %2</translation>
    </message>
    <message>
        <source>The keychain could not delete &apos;%1&apos;: %2</source>
        <translation>कीचेन &apos;%1&apos; को हटा नहीं सका: %2</translation>
    </message>
    <message>
        <source>No keychain is reachable (is a Secret Service such as GNOME Keyring or KWallet running?): %1</source>
        <translation>कोई कीचेन उपलब्ध नहीं है (क्या GNOME Keyring या KWallet जैसी कोई Secret Service चल रही है?): %1</translation>
    </message>
    <message>
        <source>The keychain did not answer about &apos;%1&apos; within %2 s. Is an unlock prompt waiting for your password?</source>
        <translation>कीचेन ने &apos;%1&apos; के बारे में %2 सेकंड में जवाब नहीं दिया। क्या कोई अनलॉक संकेत आपके पासवर्ड की प्रतीक्षा कर रहा है?</translation>
    </message>
</context>
<context>
    <name>store</name>
    <message>
        <source>[Image]</source>
        <translation>[इमेज]</translation>
    </message>
</context>
<context>
    <name>tract</name>
    <message>
        <source>End user</source>
        <translation>एंड यूज़र</translation>
    </message>
    <message>
        <source>Bot</source>
        <translation>बॉट</translation>
    </message>
    <message>
        <source>Haptik</source>
        <translation>Haptik</translation>
    </message>
    <message>
        <source>External chat tool</source>
        <translation>बाहरी चैट टूल</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>एजेंट</translation>
    </message>
    <message>
        <source>Android</source>
        <translation>Android</translation>
    </message>
    <message>
        <source>Facebook</source>
        <translation>Facebook</translation>
    </message>
    <message>
        <source>Jio</source>
        <translation>Jio</translation>
    </message>
    <message>
        <source>WebSDK</source>
        <translation>WebSDK</translation>
    </message>
    <message>
        <source>iOS</source>
        <translation>iOS</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>वॉइस</translation>
    </message>
    <message>
        <source>Kookoo</source>
        <translation>Kookoo</translation>
    </message>
    <message>
        <source>Phonecom</source>
        <translation>Phonecom</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>वेबहुक</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>Jio Connector</source>
        <translation>Jio Connector</translation>
    </message>
    <message>
        <source>IVR</source>
        <translation>IVR</translation>
    </message>
    <message>
        <source>ISON</source>
        <translation>ISON</translation>
    </message>
    <message>
        <source>JIO IVR</source>
        <translation>JIO IVR</translation>
    </message>
    <message>
        <source>SMS Gupshup</source>
        <translation>SMS Gupshup</translation>
    </message>
    <message>
        <source>Netcore</source>
        <translation>Netcore</translation>
    </message>
    <message>
        <source>Google Business Messages</source>
        <translation>Google Business Messages</translation>
    </message>
    <message>
        <source>Sunshine Zendesk</source>
        <translation>Sunshine Zendesk</translation>
    </message>
    <message>
        <source>Platform %1</source>
        <translation>प्लेटफ़ॉर्म %1</translation>
    </message>
    <message>
        <source>TRACT answered the request to %1 with something the console cannot read: %2</source>
        <translation>TRACT ने अनुरोध (%1) का ऐसा जवाब दिया जिसे कंसोल पढ़ नहीं सकता: %2</translation>
    </message>
    <message>
        <source>TRACT refused to %1: %2</source>
        <translation>TRACT ने इनकार किया (%1): %2</translation>
    </message>
    <message>
        <source>success is false</source>
        <translation>success का मान false है</translation>
    </message>
</context>
<context>
    <name>tract::OutboxSender</name>
    <message>
        <source>stored request is unreadable: %1</source>
        <translation>संग्रहीत अनुरोध अपठनीय है: %1</translation>
    </message>
</context>
<context>
    <name>tract::TokenKeeper</name>
    <message>
        <source>the console is stopping</source>
        <translation>कंसोल बंद हो रहा है</translation>
    </message>
    <message>
        <source>TRACT issued an access token that has already expired</source>
        <translation>TRACT ने ऐसा एक्सेस टोकन जारी किया जो पहले ही समाप्त हो चुका है</translation>
    </message>
</context>
<context>
    <name>tract::TractCall</name>
    <message>
        <source>No TRACT server address is set, or it is not a valid URL.</source>
        <translation>कोई TRACT सर्वर पता सेट नहीं है, या यह मान्य URL नहीं है.</translation>
    </message>
    <message>
        <source>TRACT at %1 did not answer within %2 s.</source>
        <translation>%1 पर TRACT ने %2 सेकंड में जवाब नहीं दिया.</translation>
    </message>
    <message>
        <source>Could not connect to TRACT at %1: connection refused.</source>
        <translation>%1 पर TRACT से कनेक्ट नहीं हो सका: कनेक्शन अस्वीकार किया गया.</translation>
    </message>
    <message>
        <source>Could not find the TRACT server %1.</source>
        <translation>TRACT सर्वर %1 नहीं मिला.</translation>
    </message>
    <message>
        <source>TRACT at %1 closed the connection before answering.</source>
        <translation>%1 पर TRACT ने जवाब देने से पहले कनेक्शन बंद कर दिया.</translation>
    </message>
    <message>
        <source>The secure connection to TRACT at %1 failed: %2</source>
        <translation>%1 पर TRACT से सुरक्षित कनेक्शन विफल रहा: %2</translation>
    </message>
    <message>
        <source>The TRACT address %1 is not an http or https URL.</source>
        <translation>TRACT पता %1 कोई http या https URL नहीं है.</translation>
    </message>
    <message>
        <source>Could not talk to TRACT at %1: %2</source>
        <translation>%1 पर TRACT से संपर्क नहीं हो सका: %2</translation>
    </message>
    <message>
        <source>TRACT is limiting requests (HTTP 429); try again later.</source>
        <translation>TRACT अनुरोधों को सीमित कर रहा है (HTTP 429); बाद में फिर से कोशिश करें.</translation>
    </message>
    <message>
        <source>TRACT failed to %1 (HTTP %2): %3</source>
        <translation>TRACT विफल रहा (%1, HTTP %2): %3</translation>
    </message>
    <message>
        <source>TRACT did not accept the credentials (HTTP 401): %1. Check the token and the client id.</source>
        <translation>TRACT ने क्रेडेंशियल स्वीकार नहीं किए (HTTP 401): %1. टोकन और क्लाइंट id जाँचें.</translation>
    </message>
    <message>
        <source>TRACT refused: %1 (HTTP 403)</source>
        <translation>TRACT ने इनकार किया: %1 (HTTP 403)</translation>
    </message>
    <message>
        <source>TRACT could not %1: %2 (HTTP 404)</source>
        <translation>TRACT यह नहीं कर सका (%1): %2 (HTTP 404)</translation>
    </message>
    <message>
        <source>TRACT rejected the request to %1: %2 (HTTP 400)</source>
        <translation>TRACT ने अनुरोध अस्वीकार कर दिया (%1): %2 (HTTP 400)</translation>
    </message>
    <message>
        <source>TRACT could not %1 (HTTP %2): %3</source>
        <translation>TRACT यह नहीं कर सका (%1, HTTP %2): %3</translation>
    </message>
    <message numerus="yes">
        <source>(gave up after %n attempt(s))</source>
        <extracomment>%n: attempts made, including the first</extracomment>
        <translation>
            <numerusform>(%n प्रयास के बाद छोड़ दिया)</numerusform>
            <numerusform>(%n प्रयासों के बाद छोड़ दिया)</numerusform>
        </translation>
    </message>
    <message>
        <source>A new access token could not be had: %1</source>
        <translation>नया एक्सेस टोकन नहीं मिल सका: %1</translation>
    </message>
</context>
<context>
    <name>tract::TractClient</name>
    <message>
        <source>register the %1/%2 hook</source>
        <translation>%1/%2 हुक पंजीकृत करना</translation>
    </message>
    <message>
        <source>list the registered hooks</source>
        <translation>पंजीकृत हुक की सूची लेना</translation>
    </message>
    <message>
        <source>get user &apos;%1&apos;</source>
        <translation>उपयोगकर्ता &apos;%1&apos; को प्राप्त करना</translation>
    </message>
    <message>
        <source>get details of user &apos;%1&apos;</source>
        <translation>उपयोगकर्ता &apos;%1&apos; का विवरण प्राप्त करना</translation>
    </message>
    <message>
        <source>send the message to user &apos;%1&apos;</source>
        <translation>उपयोगकर्ता &apos;%1&apos; को संदेश भेजना</translation>
    </message>
    <message>
        <source>send the %1/%2 event for user &apos;%3&apos;</source>
        <translation>उपयोगकर्ता &apos;%3&apos; के लिए %1/%2 इवेंट भेजना</translation>
    </message>
    <message>
        <source>fetch the listeners of user &apos;%1&apos;</source>
        <translation>उपयोगकर्ता &apos;%1&apos; के लिसनर प्राप्त करना</translation>
    </message>
    <message>
        <source>take control of user &apos;%1&apos;</source>
        <translation>उपयोगकर्ता &apos;%1&apos; का नियंत्रण लेना</translation>
    </message>
    <message>
        <source>pass control of user &apos;%1&apos; to &apos;%2&apos;</source>
        <translation>उपयोगकर्ता &apos;%1&apos; का नियंत्रण &apos;%2&apos; को सौंपना</translation>
    </message>
    <message>
        <source>request control of user &apos;%1&apos;</source>
        <translation>उपयोगकर्ता &apos;%1&apos; के नियंत्रण का अनुरोध करना</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>कोई कारण नहीं बताया गया</translation>
    </message>
    <message>
        <source>issue an access token</source>
        <translation>एक्सेस टोकन जारी करना</translation>
    </message>
</context>
<context>
    <name>tract::WebhookListener</name>
    <message>
        <source>method not allowed; TRACT hooks use POST</source>
        <translation>मेथड की अनुमति नहीं है; TRACT हुक POST का उपयोग करते हैं</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>नहीं मिला</translation>
    </message>
    <message>
        <source>unknown hook %1/%2</source>
        <translation>अज्ञात हुक %1/%2</translation>
    </message>
    <message>
        <source>expected Content-Type: application/json</source>
        <translation>Content-Type: application/json अपेक्षित है</translation>
    </message>
</context>
<context>
    <name>tract::auth</name>
    <message>
        <source>the access token is empty</source>
        <translation>एक्सेस टोकन खाली है</translation>
    </message>
    <message>
        <source>the access token is longer than %1 bytes</source>
        <translation>एक्सेस टोकन %1 बाइट से लंबा है</translation>
    </message>
    <message>
        <source>the access token is not a JWT (three dot-separated parts)</source>
        <translation>एक्सेस टोकन JWT नहीं है (बिंदु से अलग तीन भाग)</translation>
    </message>
    <message>
        <source>the access token is not a JWT (its parts are not base64url)</source>
        <translation>एक्सेस टोकन JWT नहीं है (इसके भाग base64url नहीं हैं)</translation>
    </message>
    <message>
        <source>the access token is not a JWT (header and claims are not JSON objects)</source>
        <translation>एक्सेस टोकन JWT नहीं है (हेडर और क्लेम JSON ऑब्जेक्ट नहीं हैं)</translation>
    </message>
    <message>
        <source>the body is larger than %1 bytes</source>
        <translation>बॉडी %1 बाइट से बड़ी है</translation>
    </message>
    <message>
        <source>the body is empty</source>
        <translation>बॉडी खाली है</translation>
    </message>
    <message>
        <source>the body is not JSON: %1 at offset %2</source>
        <translation>बॉडी JSON नहीं है: स्थान %2 पर %1</translation>
    </message>
    <message>
        <source>the body is not a JSON object</source>
        <translation>बॉडी JSON ऑब्जेक्ट नहीं है</translation>
    </message>
    <message>
        <source>required field missing</source>
        <translation>आवश्यक फ़ील्ड नहीं है</translation>
    </message>
    <message>
        <source>expected string</source>
        <translation>स्ट्रिंग अपेक्षित थी</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>खाली नहीं होना चाहिए</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>%1 अक्षरों से लंबा</translation>
    </message>
    <message>
        <source>the access token was not issued by this TRACT</source>
        <translation>एक्सेस टोकन इस TRACT ने जारी नहीं किया था</translation>
    </message>
    <message>
        <source>the access token has no expiry</source>
        <translation>एक्सेस टोकन की कोई समाप्ति नहीं है</translation>
    </message>
    <message>
        <source>the access token expired at %1</source>
        <translation>एक्सेस टोकन %1 पर समाप्त हो गया</translation>
    </message>
    <message>
        <source>the certificate is empty</source>
        <translation>प्रमाणपत्र खाली है</translation>
    </message>
    <message>
        <source>the certificate is larger than %1 bytes</source>
        <translation>प्रमाणपत्र %1 बाइट से बड़ा है</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>मेमोरी समाप्त</translation>
    </message>
    <message>
        <source>not a PEM certificate (-----BEGIN CERTIFICATE-----)</source>
        <translation>PEM प्रमाणपत्र नहीं है (-----BEGIN CERTIFICATE-----)</translation>
    </message>
    <message>
        <source>the certificate&apos;s validity dates cannot be read</source>
        <translation>प्रमाणपत्र की वैधता तिथियाँ पढ़ी नहीं जा सकतीं</translation>
    </message>
    <message>
        <source>the certificate&apos;s public key cannot be read</source>
        <translation>प्रमाणपत्र की सार्वजनिक कुंजी पढ़ी नहीं जा सकती</translation>
    </message>
    <message>
        <source>cannot compute the certificate&apos;s fingerprint</source>
        <translation>प्रमाणपत्र का फ़िंगरप्रिंट गणना नहीं किया जा सकता</translation>
    </message>
    <message>
        <source>cannot read the certificate %1: %2</source>
        <translation>प्रमाणपत्र %1 पढ़ा नहीं जा सकता: %2</translation>
    </message>
    <message>
        <source>the signing certificate is not valid before %1</source>
        <translation>साइनिंग प्रमाणपत्र %1 से पहले मान्य नहीं है</translation>
    </message>
    <message>
        <source>the signing certificate expired at %1</source>
        <translation>साइनिंग प्रमाणपत्र %1 पर समाप्त हो गया</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not among the signing certificate&apos;s DNS names</source>
        <translation>&apos;%1&apos; साइनिंग प्रमाणपत्र के DNS नामों में नहीं है</translation>
    </message>
    <message>
        <source>the Signature header is empty</source>
        <translation>Signature हेडर खाली है</translation>
    </message>
    <message>
        <source>the Signature header is longer than 4096 characters</source>
        <translation>Signature हेडर 4096 अक्षरों से लंबा है</translation>
    </message>
    <message>
        <source>the Signature header is not base64</source>
        <translation>Signature हेडर base64 नहीं है</translation>
    </message>
    <message>
        <source>cannot verify signatures with this certificate</source>
        <translation>इस प्रमाणपत्र से हस्ताक्षर सत्यापित नहीं किए जा सकते</translation>
    </message>
    <message>
        <source>the signature does not match the body and the signing certificate</source>
        <translation>हस्ताक्षर बॉडी और साइनिंग प्रमाणपत्र से मेल नहीं खाता</translation>
    </message>
    <message>
        <source>the private key is empty</source>
        <translation>निजी कुंजी खाली है</translation>
    </message>
    <message>
        <source>the private key is larger than %1 bytes</source>
        <translation>निजी कुंजी %1 बाइट से बड़ी है</translation>
    </message>
    <message>
        <source>the private key is not in PEM format (-----BEGIN PRIVATE KEY-----)</source>
        <translation>निजी कुंजी PEM प्रारूप में नहीं है (-----BEGIN PRIVATE KEY-----)</translation>
    </message>
    <message>
        <source>the private key is encrypted; store it unencrypted in a file only you can read, or in the keychain</source>
        <translation>निजी कुंजी एन्क्रिप्टेड है; इसे बिना एन्क्रिप्शन के ऐसी फ़ाइल में रखें जिसे केवल आप पढ़ सकें, या कीचेन में</translation>
    </message>
    <message>
        <source>the private key cannot be read</source>
        <translation>निजी कुंजी पढ़ी नहीं जा सकती</translation>
    </message>
    <message>
        <source>the RSA key has %1 bits; at least 2048 are needed</source>
        <translation>RSA कुंजी में %1 बिट हैं; कम से कम 2048 चाहिए</translation>
    </message>
    <message>
        <source>the private key is neither RSA nor EC</source>
        <translation>निजी कुंजी न RSA है न EC</translation>
    </message>
    <message>
        <source>cannot read the private key %1: no such file</source>
        <translation>निजी कुंजी %1 पढ़ी नहीं जा सकती: ऐसी कोई फ़ाइल नहीं</translation>
    </message>
    <message>
        <source>refusing the private key %1: it is not a regular file</source>
        <translation>निजी कुंजी %1 अस्वीकार: यह सामान्य फ़ाइल नहीं है</translation>
    </message>
    <message>
        <source>refusing the private key %1: it belongs to another user</source>
        <translation>निजी कुंजी %1 अस्वीकार: यह किसी अन्य उपयोगकर्ता की है</translation>
    </message>
    <message>
        <source>refusing the private key %1: other users may read it (mode 0%2); make it private with chmod 600, and consider the key leaked</source>
        <translation>निजी कुंजी %1 अस्वीकार: अन्य उपयोगकर्ता इसे पढ़ सकते हैं (मोड 0%2); chmod 600 से इसे निजी बनाएँ, और कुंजी को लीक मानें</translation>
    </message>
    <message>
        <source>the private key %1 is larger than %2 bytes</source>
        <translation>निजी कुंजी %1, %2 बाइट से बड़ी है</translation>
    </message>
    <message>
        <source>cannot read the private key %1: %2</source>
        <translation>निजी कुंजी %1 पढ़ी नहीं जा सकती: %2</translation>
    </message>
    <message>
        <source>no private key</source>
        <translation>कोई निजी कुंजी नहीं</translation>
    </message>
    <message>
        <source>cannot sign the request</source>
        <translation>अनुरोध पर हस्ताक्षर नहीं किए जा सकते</translation>
    </message>
    <message>
        <source>expected ISO 8601 UTC time like 2026-12-07T09:30:00Z</source>
        <translation>2026-12-07T09:30:00Z जैसा ISO 8601 UTC समय अपेक्षित था</translation>
    </message>
    <message>
        <source>expected &quot;Bearer&quot;</source>
        <translation>&quot;Bearer&quot; अपेक्षित था</translation>
    </message>
    <message>
        <source>expected a number of seconds</source>
        <translation>सेकंड की संख्या अपेक्षित थी</translation>
    </message>
    <message>
        <source>expected 1 to %1 seconds</source>
        <translation>1 से %1 सेकंड अपेक्षित थे</translation>
    </message>
    <message>
        <source>the JWT&apos;s exp claim is not a time</source>
        <translation>JWT का exp क्लेम कोई समय नहीं है</translation>
    </message>
</context>
<context>
    <name>tract::hub::HubCommands</name>
    <message>
        <source>the hub could not store the answer: %1</source>
        <translation>हब जवाब संग्रहीत नहीं कर सका: %1</translation>
    </message>
    <message>
        <source>only a supervisor can assign threads</source>
        <translation>केवल सुपरवाइज़र थ्रेड असाइन कर सकता है</translation>
    </message>
    <message>
        <source>%1&apos;s thread is assigned to %2</source>
        <translation>%1 का थ्रेड %2 को असाइन है</translation>
    </message>
    <message>
        <source>%1&apos;s thread is not assigned to you; take it first</source>
        <translation>%1 का थ्रेड आपको असाइन नहीं है; पहले इसे लें</translation>
    </message>
    <message>
        <source>unknown action &quot;%1&quot;</source>
        <translation>अज्ञात कार्रवाई &quot;%1&quot;</translation>
    </message>
    <message>
        <source>action is missing or not a string</source>
        <translation>action मौजूद नहीं है या स्ट्रिंग नहीं है</translation>
    </message>
    <message>
        <source>status must be &quot;online&quot; or &quot;away&quot;</source>
        <translation>status &quot;online&quot; या &quot;away&quot; होना चाहिए</translation>
    </message>
    <message>
        <source>no reply with outbox_id %1</source>
        <translation>outbox_id %1 वाला कोई जवाब नहीं है</translation>
    </message>
    <message>
        <source>that reply was sent by %1</source>
        <translation>वह जवाब %1 ने भेजा था</translation>
    </message>
    <message>
        <source>only a failed reply can be retried</source>
        <translation>केवल विफल जवाब को फिर से भेजा जा सकता है</translation>
    </message>
    <message>
        <source>only a pending or failed reply can be cancelled</source>
        <translation>केवल लंबित या विफल जवाब को रद्द किया जा सकता है</translation>
    </message>
    <message>
        <source>user_id is missing or not a string</source>
        <translation>user_id मौजूद नहीं है या स्ट्रिंग नहीं है</translation>
    </message>
    <message>
        <source>message_body must be an HSL object (or a string holding one)</source>
        <translation>message_body एक HSL ऑब्जेक्ट (या उसे रखने वाली स्ट्रिंग) होना चाहिए</translation>
    </message>
    <message>
        <source>there is no conversation with %1</source>
        <translation>%1 के साथ कोई बातचीत नहीं है</translation>
    </message>
    <message>
        <source>the reply could not be stored: %1</source>
        <translation>जवाब संग्रहीत नहीं किया जा सका: %1</translation>
    </message>
    <message>
        <source>the event could not be stored: %1</source>
        <translation>इवेंट संग्रहीत नहीं किया जा सका: %1</translation>
    </message>
    <message>
        <source>agent must be a string (empty: the queue)</source>
        <translation>agent एक स्ट्रिंग होना चाहिए (खाली: कतार)</translation>
    </message>
    <message>
        <source>no such agent: %1</source>
        <translation>ऐसा कोई एजेंट नहीं: %1</translation>
    </message>
    <message>
        <source>no such user: %1</source>
        <translation>ऐसा कोई उपयोगकर्ता नहीं: %1</translation>
    </message>
    <message>
        <source>to is missing: the listener to pass the thread to (iva, sac, …)</source>
        <translation>to मौजूद नहीं है: वह लिसनर जिसे थ्रेड सौंपना है (iva, sac, …)</translation>
    </message>
</context>
<context>
    <name>tract::hub::HubDatabase</name>
    <message>
        <source>cannot create the data directory %1</source>
        <translation>डेटा डायरेक्टरी %1 नहीं बनाई जा सकती</translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation>%1 नहीं खोला जा सकता: %2</translation>
    </message>
    <message>
        <source>cannot prepare %1: %2</source>
        <translation>%1 तैयार नहीं किया जा सकता: %2</translation>
    </message>
    <message>
        <source>an agent name has 1 to 64 characters</source>
        <translation>एजेंट के नाम में 1 से 64 वर्ण होते हैं</translation>
    </message>
    <message>
        <source>an agent name cannot contain control characters</source>
        <translation>एजेंट के नाम में कंट्रोल वर्ण नहीं हो सकते</translation>
    </message>
    <message>
        <source>an agent name cannot start or end with a space</source>
        <translation>एजेंट का नाम स्पेस से शुरू या खत्म नहीं हो सकता</translation>
    </message>
    <message>
        <source>expected 1 to 1000 open threads</source>
        <translation>1 से 1000 खुले थ्रेड अपेक्षित हैं</translation>
    </message>
    <message>
        <source>an agent named %1 exists already; remove it first to issue a new token</source>
        <translation>%1 नाम का एजेंट पहले से मौजूद है; नया टोकन जारी करने के लिए पहले उसे हटाएँ</translation>
    </message>
    <message>
        <source>no agent named %1</source>
        <translation>%1 नाम का कोई एजेंट नहीं</translation>
    </message>
</context>
<context>
    <name>tract::hub::HubServer</name>
    <message>
        <source>--hub-tls-cert and --hub-tls-key go together</source>
        <translation>--hub-tls-cert और --hub-tls-key साथ में दिए जाते हैं</translation>
    </message>
    <message>
        <source>cannot read %1</source>
        <translation>%1 पढ़ा नहीं जा सकता</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 में कोई PEM प्रमाणपत्र नहीं है</translation>
    </message>
    <message>
        <source>%1 holds no PEM private key (RSA or EC, unencrypted)</source>
        <translation>%1 में कोई PEM निजी कुंजी (RSA या EC, अनएन्क्रिप्टेड) नहीं है</translation>
    </message>
    <message>
        <source>the hub cannot listen on %1:%2: %3</source>
        <translation>हब %1:%2 पर सुन नहीं सकता: %3</translation>
    </message>
    <message>
        <source>no hello within 5 s</source>
        <translation>5 सेकंड में कोई hello नहीं मिला</translation>
    </message>
    <message>
        <source>only text frames</source>
        <translation>केवल टेक्स्ट फ़्रेम</translation>
    </message>
    <message>
        <source>say hello first</source>
        <translation>पहले hello भेजें</translation>
    </message>
    <message>
        <source>the frame is not JSON: %1 at offset %2</source>
        <translation>फ़्रेम JSON नहीं है: ऑफ़सेट %2 पर %1</translation>
    </message>
    <message>
        <source>a frame must be a JSON object</source>
        <translation>फ़्रेम एक JSON ऑब्जेक्ट होना चाहिए</translation>
    </message>
    <message>
        <source>hello was said already</source>
        <translation>hello पहले ही भेजा जा चुका है</translation>
    </message>
    <message>
        <source>unknown frame type &quot;%1&quot;</source>
        <translation>अज्ञात फ़्रेम प्रकार &quot;%1&quot;</translation>
    </message>
    <message>
        <source>type is missing or not a string</source>
        <translation>type मौजूद नहीं है या स्ट्रिंग नहीं है</translation>
    </message>
    <message>
        <source>a command needs an id: a string of 1 to 128 characters</source>
        <translation>कमांड के लिए id आवश्यक है: 1 से 128 वर्णों की स्ट्रिंग</translation>
    </message>
    <message>
        <source>too many commands</source>
        <translation>बहुत अधिक कमांड</translation>
    </message>
    <message>
        <source>too many commands: at most 20 a second; send it again later</source>
        <translation>बहुत अधिक कमांड: प्रति सेकंड अधिकतम 20; बाद में फिर से भेजें</translation>
    </message>
    <message>
        <source>not authenticated</source>
        <translation>प्रमाणित नहीं</translation>
    </message>
    <message>
        <source>the hub is shutting down</source>
        <translation>हब बंद हो रहा है</translation>
    </message>
</context>
<context>
    <name>tract::hub::TeamHub</name>
    <message>
        <source>token revoked</source>
        <translation>टोकन रद्द कर दिया गया</translation>
    </message>
</context>
<context>
    <name>tract::team::TeamState</name>
    <message>
        <source>%1&apos;s thread is assigned to %2.</source>
        <translation>%1 का थ्रेड %2 को असाइन है.</translation>
    </message>
    <message>
        <source>%1 is waiting in the queue: take the thread first.</source>
        <translation>%1 कतार में प्रतीक्षा कर रहा है: पहले थ्रेड लें.</translation>
    </message>
    <message>
        <source>%1&apos;s thread is not assigned to you: take it first.</source>
        <translation>%1 का थ्रेड आपको असाइन नहीं है: पहले इसे लें.</translation>
    </message>
</context>
<context>
    <name>tract::views</name>
    <message>
        <source>no owner</source>
        <translation>कोई स्वामी नहीं</translation>
    </message>
    <message>
        <source>owner: %1</source>
        <translation>स्वामी: %1</translation>
    </message>
</context>
<context>
    <name>tract::views::EventFeedModel</name>
    <message>
        <source>Handed over to agents</source>
        <translation>एजेंटों को सौंपा गया</translation>
    </message>
    <message>
        <source>Conversation complete</source>
        <translation>बातचीत पूरी हुई</translation>
    </message>
    <message>
        <source>Waiting for the end user</source>
        <translation>एंड यूज़र की प्रतीक्षा</translation>
    </message>
    <message>
        <source>An agent joined</source>
        <translation>एक एजेंट जुड़ा</translation>
    </message>
    <message>
        <source>With the bot again</source>
        <translation>फिर से बॉट के पास</translation>
    </message>
    <message>
        <source>User created</source>
        <translation>उपयोगकर्ता बनाया गया</translation>
    </message>
    <message>
        <source>Chat received by an agent</source>
        <translation>चैट एजेंट को मिली</translation>
    </message>
    <message>
        <source>Chat allocated to an agent</source>
        <translation>चैट एजेंट को आवंटित</translation>
    </message>
    <message>
        <source>End user timed out</source>
        <translation>एंड यूज़र का समय समाप्त</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>ट्रांसफ़र किया गया</translation>
    </message>
    <message>
        <source>Entity updated</source>
        <translation>एंटिटी अपडेट हुई</translation>
    </message>
    <message>
        <source>%1 sent</source>
        <translation>%1 भेजा गया</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 विफल: %2</translation>
    </message>
    <message>
        <source>%1 cancelled</source>
        <translation>%1 रद्द किया गया</translation>
    </message>
    <message>
        <source>%1 queued for retry</source>
        <translation>%1 फिर से भेजने के लिए कतार में</translation>
    </message>
    <message>
        <source>in</source>
        <translation>आने वाला</translation>
    </message>
    <message>
        <source>out</source>
        <translation>जाने वाला</translation>
    </message>
    <message>
        <source>local</source>
        <translation>लोकल</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>समय</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>दिशा</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>प्रकार</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>सारांश</translation>
    </message>
</context>
<context>
    <name>tract::views::TeamModel</name>
    <message>
        <source>Online</source>
        <translation>ऑनलाइन</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>दूर</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>ऑफ़लाइन</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>सुपरवाइज़र</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>एजेंट</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (आप)</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Open threads: %1 of a capacity of %2</source>
        <translation>खुले थ्रेड: %2 की क्षमता में से %1</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>भूमिका</translation>
    </message>
    <message>
        <source>Presence</source>
        <translation>उपस्थिति</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>लोड</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>थ्रेड</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>सबसे लंबी प्रतीक्षा</translation>
    </message>
</context>
<context>
    <name>ui::AlertBanner</name>
    <message>
        <source>Alert</source>
        <translation>सूचना</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>खोलें (&amp;O)</translation>
    </message>
    <message>
        <source>Open the thread</source>
        <translation>थ्रेड खोलें</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>हटाएँ</translation>
    </message>
    <message>
        <source>Dismiss the alert</source>
        <translation>सूचना हटाएँ</translation>
    </message>
    <message numerus="yes">
        <source>%n more since you last looked</source>
        <translation>
            <numerusform>पिछली बार देखने के बाद %n और</numerusform>
            <numerusform>पिछली बार देखने के बाद %n और</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>ui::CannedResponsePicker</name>
    <message>
        <source>Canned responses</source>
        <translation>तैयार जवाब</translation>
    </message>
    <message>
        <source>Search canned responses</source>
        <translation>तैयार जवाब खोजें</translation>
    </message>
    <message>
        <source>No canned response matches.</source>
        <translation>कोई तैयार जवाब मेल नहीं खाता.</translation>
    </message>
    <message>
        <source>↑↓ to move, Enter to insert, Esc to close</source>
        <translation>↑↓ से चुनें, Enter से डालें, Esc से बंद करें</translation>
    </message>
</context>
<context>
    <name>ui::CannedResponses</name>
    <message>
        <source>Hi {name}, I&apos;m {agent} and I&apos;ll help you from here.</source>
        <translation>नमस्ते {name}, मैं {agent} हूँ और आगे आपकी मदद के लिए मौजूद हूँ.</translation>
    </message>
    <message>
        <source>Thanks for waiting, {name}. I&apos;m looking into this and will be back in a moment.</source>
        <translation>प्रतीक्षा के लिए धन्यवाद, {name}. इसकी जाँच जारी है, एक पल में आपसे फिर बात होगी.</translation>
    </message>
    <message>
        <source>Let me check that for you. It may take a minute or two.</source>
        <translation>मुझे आपके लिए यह जाँचने दीजिए. इसमें एक-दो मिनट लग सकते हैं.</translation>
    </message>
    <message>
        <source>I&apos;m sorry for the trouble, {name}. Let&apos;s get this sorted.</source>
        <translation>असुविधा के लिए खेद है, {name}. आइए इसे ठीक करते हैं.</translation>
    </message>
    <message>
        <source>I&apos;m passing you to a colleague who can help with this. Please stay in the chat.</source>
        <translation>आपको एक सहकर्मी के पास भेजा जा रहा है जो इसमें मदद कर सकते हैं. कृपया चैट में बने रहें.</translation>
    </message>
    <message>
        <source>Is there anything else I can help you with?</source>
        <translation>क्या आपको किसी और चीज़ में मदद चाहिए?</translation>
    </message>
    <message>
        <source>Thank you, {name}!</source>
        <translation>धन्यवाद, {name}!</translation>
    </message>
    <message>
        <source>Thanks for chatting with us, {name}. Have a great day!</source>
        <translation>हमसे चैट करने के लिए धन्यवाद, {name}. आपका दिन शुभ हो!</translation>
    </message>
    <message>
        <source>there</source>
        <translation>जी</translation>
    </message>
    <message>
        <source>your agent</source>
        <translation>आपका एजेंट</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>ui::ClearButton</name>
    <message>
        <source>Clear</source>
        <translation>साफ़ करें</translation>
    </message>
</context>
<context>
    <name>ui::Composer</name>
    <message>
        <source>Why you cannot reply</source>
        <translation>आप जवाब क्यों नहीं दे सकते</translation>
    </message>
    <message>
        <source>Take control</source>
        <translation>नियंत्रण लें</translation>
    </message>
    <message>
        <source>Take control of this thread (Ctrl+T)</source>
        <translation>इस थ्रेड का नियंत्रण लें (Ctrl+T)</translation>
    </message>
    <message>
        <source>Write a reply… (Enter sends, Shift+Enter new line, / for canned responses)</source>
        <translation>जवाब लिखें… (Enter से भेजें, Shift+Enter से नई लाइन, तैयार जवाबों के लिए /)</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>जवाब</translation>
    </message>
    <message>
        <source>Quick replies &amp;&amp; buttons…</source>
        <translation>त्वरित जवाब &amp;&amp; बटन…</translation>
    </message>
    <message>
        <source>Build a reply with quick replies or buttons, previewed as the end user will see it</source>
        <translation>त्वरित जवाबों या बटनों के साथ जवाब बनाएँ, जैसा एंड यूज़र को दिखेगा वैसा पूर्वावलोकन</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>भेजें</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>जवाब भेजें</translation>
    </message>
    <message>
        <source>Choose a conversation to reply.</source>
        <translation>जवाब देने के लिए कोई बातचीत चुनें.</translation>
    </message>
    <message>
        <source>This message cannot be sent.</source>
        <translation>यह संदेश भेजा नहीं जा सकता.</translation>
    </message>
</context>
<context>
    <name>ui::ConversationView</name>
    <message>
        <source>Conversation</source>
        <translation>बातचीत</translation>
    </message>
    <message>
        <source>End user</source>
        <translation>एंड यूज़र</translation>
    </message>
    <message>
        <source>Bot</source>
        <translation>बॉट</translation>
    </message>
    <message>
        <source>Agent chat tool</source>
        <translation>एजेंट चैट टूल</translation>
    </message>
    <message>
        <source>You</source>
        <translation>आप</translation>
    </message>
    <message>
        <source>Haptik</source>
        <translation>Haptik</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>भेजा जा रहा है…</translation>
    </message>
    <message>
        <source>⚠ Not delivered: %1</source>
        <translation>⚠ डिलीवर नहीं हुआ: %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>रद्द किया गया</translation>
    </message>
    <message>
        <source>✓ Sent</source>
        <translation>✓ भेजा गया</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>फिर से कोशिश करें</translation>
    </message>
    <message>
        <source>No messages in this conversation yet</source>
        <translation>इस बातचीत में अभी कोई संदेश नहीं है</translation>
    </message>
    <message>
        <source>Choose a conversation on the left</source>
        <translation>बाईं ओर कोई बातचीत चुनें</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>लिंक खोलें</translation>
    </message>
    <message>
        <source>Open this link on %1 in your browser?

%2</source>
        <translation>यह लिंक %1 पर अपने ब्राउज़र में खोलें?

%2</translation>
    </message>
    <message>
        <source>Copy selection</source>
        <translation>चयन कॉपी करें</translation>
    </message>
    <message>
        <source>Copy message text</source>
        <translation>संदेश टेक्स्ट कॉपी करें</translation>
    </message>
    <message>
        <source>Copy message JSON</source>
        <translation>संदेश JSON कॉपी करें</translation>
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation>रॉ JSON दिखाएँ</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>a message for a screen reader: who and when, then what</comment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>a reply for a screen reader, then its delivery state</comment>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>ui::DesktopNotifications</name>
    <message>
        <source>TRACT Console</source>
        <translation>TRACT Console</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>खोलें</translation>
    </message>
</context>
<context>
    <name>ui::ElidedLabel</name>
    <message>
        <source>Copy</source>
        <translation>कॉपी करें</translation>
    </message>
</context>
<context>
    <name>ui::EventFeedPanel</name>
    <message>
        <source>&amp;Category:</source>
        <translation>श्रेणी (&amp;C):</translation>
    </message>
    <message>
        <source>Event category</source>
        <translation>इवेंट श्रेणी</translation>
    </message>
    <message>
        <source>All</source>
        <translation>सभी</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>संदेश</translation>
    </message>
    <message>
        <source>Conversation state</source>
        <translation>बातचीत की स्थिति</translation>
    </message>
    <message>
        <source>Agent events</source>
        <translation>एजेंट इवेंट</translation>
    </message>
    <message>
        <source>User events</source>
        <translation>उपयोगकर्ता इवेंट</translation>
    </message>
    <message>
        <source>Thread control</source>
        <translation>थ्रेड नियंत्रण</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>आउटबॉक्स</translation>
    </message>
    <message>
        <source>Number of events</source>
        <translation>इवेंट की संख्या</translation>
    </message>
    <message>
        <source>Show raw &amp;JSON</source>
        <translation>रॉ JSON दिखाएँ (&amp;J)</translation>
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation>रॉ JSON दिखाएँ</translation>
    </message>
    <message>
        <source>Event feed</source>
        <translation>इवेंट फ़ीड</translation>
    </message>
    <message>
        <source>Raw JSON of the selected event</source>
        <translation>चुने गए इवेंट का रॉ JSON</translation>
    </message>
    <message>
        <source>Select an event to see its raw JSON.</source>
        <translation>रॉ JSON देखने के लिए कोई इवेंट चुनें.</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n इवेंट</numerusform>
            <numerusform>%n इवेंट</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::FirstRunDialog</name>
    <message>
        <source>Welcome to TRACT Console</source>
        <translation>TRACT Console में आपका स्वागत है</translation>
    </message>
    <message>
        <source>TRACT Console lets your agents chat with Haptik end users. Nothing is configured yet.</source>
        <translation>TRACT Console से आपके एजेंट Haptik एंड यूज़र के साथ चैट कर सकते हैं. अभी कुछ भी कॉन्फ़िगर नहीं है.</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>डेमो आज़माएँ</translation>
    </message>
    <message>
        <source>Start the built-in sandbox with simulated users and a bot. No Haptik account needed.</source>
        <translation>सिम्युलेटेड उपयोगकर्ताओं और एक बॉट के साथ बिल्ट-इन सैंडबॉक्स शुरू करें. Haptik खाते की आवश्यकता नहीं.</translation>
    </message>
    <message>
        <source>Connect to TRACT</source>
        <translation>TRACT से कनेक्ट करें</translation>
    </message>
    <message>
        <source>Enter your TRACT URL, client id and token.</source>
        <translation>अपना TRACT URL, क्लाइंट id और टोकन दर्ज करें.</translation>
    </message>
</context>
<context>
    <name>ui::MainWindow</name>
    <message>
        <source>&amp;Conversations</source>
        <translation>बातचीत (&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Ownership board</source>
        <translation>स्वामित्व बोर्ड (&amp;O)</translation>
    </message>
    <message>
        <source>Search threads (Ctrl+K)</source>
        <translation>थ्रेड खोजें (Ctrl+K)</translation>
    </message>
    <message>
        <source>Search threads</source>
        <translation>थ्रेड खोजें</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>मेरे</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>कतार</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>प्रतीक्षा में</translation>
    </message>
    <message>
        <source>Bot</source>
        <translation>बॉट</translation>
    </message>
    <message>
        <source>All</source>
        <translation>सभी</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>पूर्ण</translation>
    </message>
    <message>
        <source>Show %1 threads</source>
        <translation>%1 थ्रेड दिखाएँ</translation>
    </message>
    <message>
        <source>Longest waiting first</source>
        <translation>सबसे लंबी प्रतीक्षा वाले पहले</translation>
    </message>
    <message>
        <source>Latest activity first</source>
        <translation>नवीनतम गतिविधि वाले पहले</translation>
    </message>
    <message>
        <source>Sort threads</source>
        <translation>थ्रेड क्रमित करें</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>थ्रेड</translation>
    </message>
    <message>
        <source>Jump to new messages</source>
        <translation>नए संदेशों पर जाएँ</translation>
    </message>
    <message numerus="yes">
        <source>↓ %n new message(s)</source>
        <translation>
            <numerusform>↓ %n नया संदेश</numerusform>
            <numerusform>↓ %n नए संदेश</numerusform>
        </translation>
    </message>
    <message>
        <source>User</source>
        <translation>उपयोगकर्ता</translation>
    </message>
    <message>
        <source>Thread control</source>
        <translation>थ्रेड नियंत्रण</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>इवेंट</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>फ़ाइल (&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>सेटिंग्स (&amp;S)…</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>बाहर निकलें (&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Thread</source>
        <translation>थ्रेड (&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Jump to thread…</source>
        <translation>थ्रेड पर जाएँ (&amp;J)…</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>&amp;Previous thread</source>
        <translation>पिछला थ्रेड (&amp;P)</translation>
    </message>
    <message>
        <source>Alt+Up</source>
        <translation>Alt+Up</translation>
    </message>
    <message>
        <source>&amp;Next thread</source>
        <translation>अगला थ्रेड (&amp;N)</translation>
    </message>
    <message>
        <source>Alt+Down</source>
        <translation>Alt+Down</translation>
    </message>
    <message>
        <source>&amp;Take control</source>
        <translation>नियंत्रण लें (&amp;T)</translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <source>&amp;Pass control to…</source>
        <translation>नियंत्रण सौंपें (&amp;P)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <source>&amp;Request control</source>
        <translation>नियंत्रण का अनुरोध करें (&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Complete conversation</source>
        <translation>बातचीत पूरी करें (&amp;C)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>T&amp;eam</source>
        <translation>टीम (&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Away</source>
        <translation>दूर (&amp;A)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+A</source>
        <translation>Ctrl+Shift+A</translation>
    </message>
    <message>
        <source>Away: keep your threads and get no new ones</source>
        <translation>दूर: अपने थ्रेड रखें और नए थ्रेड न पाएँ</translation>
    </message>
    <message>
        <source>A&amp;ssign open thread to…</source>
        <translation>खुला थ्रेड असाइन करें (&amp;S)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>देखें (&amp;V)</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>थीम (&amp;T)</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>सिस्टम (&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>लाइट (&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>डार्क (&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>सहायता (&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>कीबोर्ड शॉर्टकट (&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About TRACT Console</source>
        <translation>TRACT Console के बारे में (&amp;A)</translation>
    </message>
    <message>
        <source>About TRACT Console</source>
        <translation>TRACT Console के बारे में</translation>
    </message>
    <message>
        <source>TRACT Console %1
A desktop agent console for Haptik&apos;s TRACT API.</source>
        <translation>TRACT Console %1
Haptik के TRACT API के लिए एक डेस्कटॉप एजेंट कंसोल.</translation>
    </message>
    <message>
        <source> SANDBOX DEMO </source>
        <translation> सैंडबॉक्स डेमो </translation>
    </message>
    <message>
        <source>Connected to the built-in tract-sandbox: simulated users and bot, no Haptik account</source>
        <translation>बिल्ट-इन tract-sandbox से कनेक्ट है: सिम्युलेटेड उपयोगकर्ता और बॉट, कोई Haptik खाता नहीं</translation>
    </message>
    <message>
        <source>Hook registrations</source>
        <translation>हुक पंजीकरण</translation>
    </message>
    <message>
        <source>Hub connection</source>
        <translation>हब कनेक्शन</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>ऑनलाइन</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>दूर</translation>
    </message>
    <message>
        <source>My presence</source>
        <translation>मेरी उपस्थिति</translation>
    </message>
    <message>
        <source>Online: the hub routes new threads to you. Away: you keep your threads and get no new ones (Ctrl+Shift+A)</source>
        <translation>ऑनलाइन: हब नए थ्रेड आपको भेजता है. दूर: आपके थ्रेड आपके पास रहते हैं और नए थ्रेड नहीं मिलते (Ctrl+Shift+A)</translation>
    </message>
    <message>
        <source>Listening on %1</source>
        <translation>%1 पर सुन रहा है</translation>
    </message>
    <message>
        <source>Hooks %1 of %2</source>
        <translation>हुक: %2 में से %1</translation>
    </message>
    <message>
        <source>Click for the state of each hook registration</source>
        <translation>हर हुक पंजीकरण की स्थिति देखने के लिए क्लिक करें</translation>
    </message>
    <message>
        <source>Outbox empty</source>
        <translation>आउटबॉक्स खाली</translation>
    </message>
    <message numerus="yes">
        <source>%n reply(ies) waiting to send</source>
        <translation>
            <numerusform>%n जवाब भेजे जाने की प्रतीक्षा में</numerusform>
            <numerusform>%n जवाब भेजे जाने की प्रतीक्षा में</numerusform>
        </translation>
    </message>
    <message>
        <source>No registration attempted yet.</source>
        <translation>अभी तक पंजीकरण का कोई प्रयास नहीं हुआ.</translation>
    </message>
    <message>
        <source>TRACT Console</source>
        <translation>TRACT Console</translation>
    </message>
    <message>
        <source> — Sandbox demo</source>
        <translation> — सैंडबॉक्स डेमो</translation>
    </message>
    <message>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message>
        <source>No conversation open</source>
        <translation>कोई बातचीत खुली नहीं है</translation>
    </message>
    <message>
        <source>Pick a thread on the left, or press Ctrl+K to find one.</source>
        <translation>बाईं ओर कोई थ्रेड चुनें, या थ्रेड खोजने के लिए Ctrl+K दबाएँ.</translation>
    </message>
    <message>
        <source>conversation %1</source>
        <translation>बातचीत %1</translation>
    </message>
    <message>
        <source>in the queue</source>
        <translation>कतार में</translation>
    </message>
    <message>
        <source>assigned to you</source>
        <translation>आपको असाइन किया गया</translation>
    </message>
    <message>
        <source>assigned to %1</source>
        <translation>%1 को असाइन किया गया</translation>
    </message>
    <message>
        <source>This conversation is complete. It reopens when the end user writes again.</source>
        <translation>यह बातचीत पूरी हो चुकी है. एंड यूज़र के फिर से लिखने पर यह दोबारा खुल जाती है.</translation>
    </message>
    <message>
        <source>The bot owns this thread. Take control to reply.</source>
        <translation>इस थ्रेड का स्वामी बॉट है. जवाब देने के लिए नियंत्रण लें.</translation>
    </message>
    <message>
        <source>%1 owns this thread. Take or request control to reply.</source>
        <translation>इस थ्रेड का स्वामी %1 है. जवाब देने के लिए नियंत्रण लें या उसका अनुरोध करें.</translation>
    </message>
    <message>
        <source>&amp;Team</source>
        <translation>टीम (&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Team board</source>
        <translation>टीम बोर्ड (&amp;T)</translation>
    </message>
    <message>
        <source>Mine (%1)</source>
        <translation>मेरे (%1)</translation>
    </message>
    <message>
        <source>Show threads assigned to me</source>
        <translation>मुझे असाइन किए गए थ्रेड दिखाएँ</translation>
    </message>
    <message>
        <source>Queue (%1)</source>
        <translation>कतार (%1)</translation>
    </message>
    <message>
        <source>Show the team&apos;s queue</source>
        <translation>टीम की कतार दिखाएँ</translation>
    </message>
    <message>
        <source>All team</source>
        <translation>पूरी टीम</translation>
    </message>
    <message>
        <source>Show all the team&apos;s threads</source>
        <translation>टीम के सभी थ्रेड दिखाएँ</translation>
    </message>
    <message>
        <source>Assign thread</source>
        <translation>थ्रेड असाइन करें</translation>
    </message>
    <message>
        <source>Bot (iva): completes the conversation</source>
        <translation>बॉट (iva): बातचीत पूरी करता है</translation>
    </message>
    <message>
        <source>Haptik agent chat (sac)</source>
        <translation>Haptik एजेंट चैट (sac)</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>दृश्य</translation>
    </message>
    <message>
        <source>Thread details</source>
        <translation>थ्रेड विवरण</translation>
    </message>
    <message>
        <source>Ctrl+Shift+T</source>
        <translation>Ctrl+Shift+T</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>भाषा (&amp;L)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>भाषा</translation>
    </message>
    <message>
        <source>TRACT Console speaks the new language after a restart.</source>
        <translation>पुनः आरंभ करने के बाद TRACT Console नई भाषा में दिखेगा.</translation>
    </message>
    <message>
        <source>&amp;Restart now</source>
        <translation>अभी पुनः आरंभ करें (&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>बाद में (&amp;L)</translation>
    </message>
    <message>
        <source>&amp;System language</source>
        <translation>सिस्टम की भाषा (&amp;S)</translation>
    </message>
    <message>
        <source>Side &amp;panels</source>
        <translation>साइड पैनल(&amp;P)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+D</source>
        <translation>Ctrl+Shift+D</translation>
    </message>
    <message>
        <source>%1 hidden to make room (View menu, %2)</source>
        <translation>%1 जगह बनाने के लिए छिपाया गया (व्यू मेनू, %2)</translation>
    </message>
    <message>
        <source>Open thread</source>
        <translation>खुला थ्रेड</translation>
    </message>
    <message>
        <source>Thread state</source>
        <translation>थ्रेड की स्थिति</translation>
    </message>
    <message>
        <source>Thread &amp;list</source>
        <translation>थ्रेड सूची (&amp;L)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation>Ctrl+Shift+L</translation>
    </message>
</context>
<context>
    <name>ui::Notifier</name>
    <message>
        <source>A user</source>
        <translation>एक उपयोगकर्ता</translation>
    </message>
    <message>
        <source>%1 is waiting for an agent</source>
        <translation>%1 एजेंट की प्रतीक्षा में है</translation>
    </message>
    <message>
        <source>The bot handed the conversation over.</source>
        <translation>बॉट ने बातचीत सौंप दी.</translation>
    </message>
    <message>
        <source>New message from %1</source>
        <translation>%1 से नया संदेश</translation>
    </message>
    <message>
        <source>TRACT Console: no unread messages</source>
        <translation>TRACT Console: कोई अपठित संदेश नहीं</translation>
    </message>
    <message numerus="yes">
        <source>TRACT Console: %n unread message(s)</source>
        <translation>
            <numerusform>TRACT Console: %n अपठित संदेश</numerusform>
            <numerusform>TRACT Console: %n अपठित संदेश</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Show TRACT Console</source>
        <translation>TRACT Console दिखाएँ (&amp;S)</translation>
    </message>
</context>
<context>
    <name>ui::OwnershipBoard</name>
    <message>
        <source>59 min 59 s</source>
        <translation>59 मिनट 59 सेकंड</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>दिखाएँ (&amp;S):</translation>
    </message>
    <message>
        <source>Thread state filter</source>
        <translation>थ्रेड स्थिति फ़िल्टर</translation>
    </message>
    <message>
        <source>All threads</source>
        <translation>सभी थ्रेड</translation>
    </message>
    <message>
        <source>Waiting for agent</source>
        <translation>एजेंट की प्रतीक्षा में</translation>
    </message>
    <message>
        <source>With me</source>
        <translation>मेरे पास</translation>
    </message>
    <message>
        <source>With others</source>
        <translation>दूसरों के पास</translation>
    </message>
    <message>
        <source>Bot</source>
        <translation>बॉट</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>पूर्ण</translation>
    </message>
    <message>
        <source>Search threads</source>
        <translation>थ्रेड खोजें</translation>
    </message>
    <message>
        <source>Filter by name, user id, owner or message</source>
        <translation>नाम, उपयोगकर्ता id, स्वामी या संदेश से फ़िल्टर करें</translation>
    </message>
    <message>
        <source>Thread count</source>
        <translation>थ्रेड की संख्या</translation>
    </message>
    <message>
        <source>Thread ownership</source>
        <translation>थ्रेड स्वामित्व</translation>
    </message>
    <message>
        <source>Filter by name, user id, owner, agent or message</source>
        <translation>नाम, उपयोगकर्ता id, स्वामी, एजेंट या संदेश से फ़िल्टर करें</translation>
    </message>
    <message>
        <source>&amp;Assign to</source>
        <translation>असाइन करें (&amp;A)</translation>
    </message>
    <message>
        <source>%1 — %2, %3 / %4</source>
        <translation>%1 — %2, %3 / %4</translation>
    </message>
    <message>
        <source>No agents</source>
        <translation>कोई एजेंट नहीं</translation>
    </message>
    <message>
        <source>Back to the &amp;queue</source>
        <translation>वापस कतार में (&amp;Q)</translation>
    </message>
    <message>
        <source>Thread actions</source>
        <translation>थ्रेड कार्रवाइयाँ</translation>
    </message>
    <message>
        <source>&amp;Open conversation</source>
        <translation>बातचीत खोलें (&amp;O)</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 सेकंड</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 मिनट %2 सेकंड</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 घंटे %2 मिनट</translation>
    </message>
    <message numerus="yes">
        <source>%n thread(s), %1 waiting</source>
        <translation>
            <numerusform>%n थ्रेड, %1 प्रतीक्षा में</numerusform>
            <numerusform>%n थ्रेड, %1 प्रतीक्षा में</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::RichReplyDialog</name>
    <message>
        <source>Reply with quick replies or buttons</source>
        <translation>त्वरित जवाब या बटन के साथ जवाब दें</translation>
    </message>
    <message>
        <source>Text with quick replies</source>
        <translation>त्वरित जवाब वाला टेक्स्ट</translation>
    </message>
    <message>
        <source>Text with buttons</source>
        <translation>बटन वाला टेक्स्ट</translation>
    </message>
    <message>
        <source>Reply kind</source>
        <translation>जवाब का प्रकार</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>प्रकार (&amp;K):</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>संदेश टेक्स्ट</translation>
    </message>
    <message>
        <source>&amp;Text:</source>
        <translation>टेक्स्ट (&amp;T):</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>लेबल</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>कार्रवाई</translation>
    </message>
    <message>
        <source>Message or URL</source>
        <translation>संदेश या URL</translation>
    </message>
    <message>
        <source>Quick replies or buttons</source>
        <translation>त्वरित जवाब या बटन</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>जोड़ें (&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>हटाएँ (&amp;R)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>भेजें</translation>
    </message>
    <message>
        <source>As the end user sees it:</source>
        <translation>एंड यूज़र को यह ऐसा दिखता है:</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>पूर्वावलोकन</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>हाँ</translation>
    </message>
    <message>
        <source>No, thanks</source>
        <translation>नहीं, धन्यवाद</translation>
    </message>
    <message>
        <source>Send text</source>
        <translation>टेक्स्ट भेजें</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>लिंक खोलें</translation>
    </message>
    <message>
        <source>✖ %1</source>
        <translation>✖ %1</translation>
    </message>
    <message>
        <source>⚠ %1</source>
        <translation>⚠ %1</translation>
    </message>
</context>
<context>
    <name>ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>सेटिंग्स</translation>
    </message>
    <message>
        <source>TRACT</source>
        <translation>TRACT</translation>
    </message>
    <message>
        <source>TRACT &amp;URL:</source>
        <translation>TRACT URL (&amp;U):</translation>
    </message>
    <message>
        <source>TRACT URL</source>
        <translation>TRACT URL</translation>
    </message>
    <message>
        <source>&amp;Client id:</source>
        <translation>क्लाइंट id (&amp;C):</translation>
    </message>
    <message>
        <source>Client id</source>
        <translation>क्लाइंट id</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>टोकन (&amp;T):</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>टोकन</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored token</source>
        <translation>सहेजा गया टोकन रखने के लिए खाली छोड़ें</translation>
    </message>
    <message>
        <source>Webhook listener</source>
        <translation>वेबहुक लिसनर</translation>
    </message>
    <message>
        <source>Listen &amp;address:</source>
        <translation>सुनने का पता (&amp;A):</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>सुनने का पता</translation>
    </message>
    <message>
        <source>Listen &amp;port:</source>
        <translation>सुनने का पोर्ट (&amp;P):</translation>
    </message>
    <message>
        <source>Listen port</source>
        <translation>सुनने का पोर्ट</translation>
    </message>
    <message>
        <source>0 (any free port)</source>
        <translation>0 (कोई भी खाली पोर्ट)</translation>
    </message>
    <message>
        <source>Pu&amp;blic URL:</source>
        <translation>सार्वजनिक URL (&amp;B):</translation>
    </message>
    <message>
        <source>Public URL</source>
        <translation>सार्वजनिक URL</translation>
    </message>
    <message>
        <source>Empty: the listen address</source>
        <translation>खाली: सुनने का पता</translation>
    </message>
    <message>
        <source>The address TRACT posts hooks to, when it differs from the listen address (a tunnel or reverse proxy)</source>
        <translation>वह पता जिस पर TRACT हुक पोस्ट करता है, जब वह सुनने के पते से अलग हो (टनल या रिवर्स प्रॉक्सी)</translation>
    </message>
    <message>
        <source>Hook &amp;secret:</source>
        <translation>हुक सीक्रेट (&amp;S):</translation>
    </message>
    <message>
        <source>Hook secret</source>
        <translation>हुक सीक्रेट</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored secret</source>
        <translation>सहेजा गया सीक्रेट रखने के लिए खाली छोड़ें</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>एजेंट</translation>
    </message>
    <message>
        <source>&amp;Receiver id:</source>
        <translation>रिसीवर id (&amp;R):</translation>
    </message>
    <message>
        <source>Receiver id</source>
        <translation>रिसीवर id</translation>
    </message>
    <message>
        <source>Empty: the client id</source>
        <translation>खाली: क्लाइंट id</translation>
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation>प्रदर्शन नाम (&amp;D):</translation>
    </message>
    <message>
        <source>Agent display name</source>
        <translation>एजेंट का प्रदर्शन नाम</translation>
    </message>
    <message>
        <source>Used in canned responses as {agent}</source>
        <translation>तैयार जवाबों में {agent} के रूप में उपयोग होता है</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>सूचनाएँ</translation>
    </message>
    <message>
        <source>Desktop notification when the bot &amp;hands a thread to agents</source>
        <translation>जब बॉट कोई थ्रेड एजेंटों को सौंपे, तब डेस्कटॉप सूचना (&amp;H)</translation>
    </message>
    <message>
        <source>Notify on handoff</source>
        <translation>थ्रेड सौंपे जाने पर सूचित करें</translation>
    </message>
    <message>
        <source>Desktop notification for new &amp;messages in my threads while the window is inactive</source>
        <translation>विंडो निष्क्रिय होने पर मेरे थ्रेड में नए संदेशों के लिए डेस्कटॉप सूचना (&amp;M)</translation>
    </message>
    <message>
        <source>Notify on new message</source>
        <translation>नए संदेश पर सूचित करें</translation>
    </message>
    <message>
        <source>Play a &amp;sound with notifications</source>
        <translation>सूचनाओं के साथ ध्वनि चलाएँ (&amp;S)</translation>
    </message>
    <message>
        <source>Notification sound</source>
        <translation>सूचना ध्वनि</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>सेटिंग्स सहेजें</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <source>%1 error</source>
        <translation>%1 त्रुटि</translation>
    </message>
    <message>
        <source>Stored in keychain</source>
        <translation>कीचेन में सहेजा गया</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>सेट नहीं</translation>
    </message>
    <message>
        <source>Enter a URL, such as https://tract.example.com</source>
        <translation>कोई URL दर्ज करें, जैसे https://tract.example.com</translation>
    </message>
    <message>
        <source>This is not a valid URL</source>
        <translation>यह मान्य URL नहीं है</translation>
    </message>
    <message>
        <source>The URL must start with http:// or https://</source>
        <translation>URL http:// या https:// से शुरू होना चाहिए</translation>
    </message>
    <message>
        <source>The URL needs a host name, such as https://tract.example.com</source>
        <translation>URL में होस्ट नाम होना चाहिए, जैसे https://tract.example.com</translation>
    </message>
    <message>
        <source>The port must be a number from 0 to 65535 (0 picks a free port)</source>
        <translation>पोर्ट 0 से 65535 तक की कोई संख्या होनी चाहिए (0 कोई खाली पोर्ट चुनता है)</translation>
    </message>
    <message>
        <source>Enter an address to listen on, such as 127.0.0.1 or 0.0.0.0</source>
        <translation>सुनने के लिए कोई पता दर्ज करें, जैसे 127.0.0.1 या 0.0.0.0</translation>
    </message>
    <message>
        <source>Enter an IP address, such as 127.0.0.1, 0.0.0.0 or ::1</source>
        <translation>कोई IP पता दर्ज करें, जैसे 127.0.0.1, 0.0.0.0 या ::1</translation>
    </message>
    <message>
        <source>The client id is required</source>
        <translation>क्लाइंट id आवश्यक है</translation>
    </message>
    <message>
        <source>History</source>
        <translation>इतिहास</translation>
    </message>
    <message>
        <source>Delete completed conversations after days</source>
        <translation>पूर्ण बातचीत इतने दिनों बाद हटाएँ</translation>
    </message>
    <message>
        <source>Never: keep everything</source>
        <translation>कभी नहीं: सब कुछ रखें</translation>
    </message>
    <message>
        <source> days</source>
        <translation> दिन</translation>
    </message>
    <message>
        <source>Completed conversations last active longer ago than this are deleted in the background, with their events. Applies from the next start; --retain-days overrides it.</source>
        <translation>इससे अधिक समय पहले अंतिम बार सक्रिय पूर्ण बातचीत अपने इवेंट के साथ पृष्ठभूमि में हटा दी जाती हैं। अगली शुरुआत से लागू; --retain-days इसे बदल देता है।</translation>
    </message>
    <message>
        <source>Delete &amp;completed conversations after:</source>
        <translation>&amp;पूर्ण बातचीत इसके बाद हटाएँ:</translation>
    </message>
</context>
<context>
    <name>ui::ShortcutsDialog</name>
    <message>
        <source>Composer</source>
        <translation>संदेश लेखन</translation>
    </message>
    <message>
        <source>General</source>
        <translation>सामान्य</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>संदेश भेजें</translation>
    </message>
    <message>
        <source>New line</source>
        <translation>नई पंक्ति</translation>
    </message>
    <message>
        <source>Canned responses</source>
        <translation>तैयार जवाब</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>कीबोर्ड शॉर्टकट</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>शॉर्टकट</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>कार्रवाई</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>बंद करें</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>बातचीत</translation>
    </message>
    <message>
        <source>Previous / next message (read aloud by a screen reader)</source>
        <translation>पिछला / अगला संदेश (स्क्रीन रीडर पढ़कर सुनाता है)</translation>
    </message>
    <message>
        <source>Newest message</source>
        <translation>सबसे नया संदेश</translation>
    </message>
    <message>
        <source>Copy the selected text</source>
        <translation>चुना हुआ टेक्स्ट कॉपी करें</translation>
    </message>
    <message>
        <source>Next / previous control</source>
        <translation>अगला / पिछला नियंत्रण</translation>
    </message>
    <message>
        <source>Close a menu, dialog or list</source>
        <translation>मेनू, डायलॉग या सूची बंद करें</translation>
    </message>
</context>
<context>
    <name>ui::TeamBoard</name>
    <message>
        <source>Queue</source>
        <translation>कतार</translation>
    </message>
    <message>
        <source>Drop a thread here to send it back to the queue</source>
        <translation>थ्रेड को कतार में वापस भेजने के लिए उसे यहाँ छोड़ें</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>टीम</translation>
    </message>
    <message>
        <source>Team summary</source>
        <translation>टीम सारांश</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>एजेंट</translation>
    </message>
    <message>
        <source>Online: %1 of %2 · Open threads: %3</source>
        <translation>ऑनलाइन: %2 में से %1 · खुले थ्रेड: %3</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>खाली</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting, oldest %1</source>
        <translation>
            <numerusform>%n प्रतीक्षा में, सबसे पुराना %1</numerusform>
            <numerusform>%n प्रतीक्षा में, सबसे पुराना %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n प्रतीक्षा में</numerusform>
            <numerusform>%n प्रतीक्षा में</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::ThreadControlPanel</name>
    <message>
        <source>default</source>
        <translation>डिफ़ॉल्ट</translation>
    </message>
    <message>
        <source>primary</source>
        <translation>प्राथमिक</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>स्वामी</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (आप)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Thread control</source>
        <translation>थ्रेड नियंत्रण</translation>
    </message>
    <message>
        <source>Fetch the listeners again</source>
        <translation>लिसनर फिर से प्राप्त करें</translation>
    </message>
    <message>
        <source>Refresh listeners</source>
        <translation>लिसनर रीफ़्रेश करें</translation>
    </message>
    <message>
        <source>Listeners</source>
        <translation>लिसनर</translation>
    </message>
    <message>
        <source>&amp;Take control</source>
        <translation>नियंत्रण लें (&amp;T)</translation>
    </message>
    <message>
        <source>Take control</source>
        <translation>नियंत्रण लें</translation>
    </message>
    <message>
        <source>Make this console the owner of the thread (Ctrl+T)</source>
        <translation>इस कंसोल को थ्रेड का स्वामी बनाएँ (Ctrl+T)</translation>
    </message>
    <message>
        <source>Pass to listener</source>
        <translation>लिसनर को सौंपें</translation>
    </message>
    <message>
        <source>&amp;Pass to…</source>
        <translation>सौंपें (&amp;P)…</translation>
    </message>
    <message>
        <source>Pass to</source>
        <translation>इसे सौंपें</translation>
    </message>
    <message>
        <source>Hand the thread to another listener (Ctrl+Shift+P)</source>
        <translation>थ्रेड किसी अन्य लिसनर को सौंपें (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>&amp;Request control</source>
        <translation>नियंत्रण का अनुरोध करें (&amp;R)</translation>
    </message>
    <message>
        <source>Request control</source>
        <translation>नियंत्रण का अनुरोध करें</translation>
    </message>
    <message>
        <source>Ask the current owner to pass the thread to you</source>
        <translation>मौजूदा स्वामी से थ्रेड आपको सौंपने का अनुरोध करें</translation>
    </message>
    <message>
        <source>Thread control call running</source>
        <translation>थ्रेड नियंत्रण कॉल चल रहा है</translation>
    </message>
    <message>
        <source>Thread control outcome</source>
        <translation>थ्रेड नियंत्रण परिणाम</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>No thread selected</source>
        <translation>कोई थ्रेड चयनित नहीं</translation>
    </message>
    <message>
        <source>No listeners known for %1</source>
        <translation>%1 के लिए कोई लिसनर ज्ञात नहीं</translation>
    </message>
    <message numerus="yes">
        <source>%n listener(s) for %1</source>
        <translation>
            <numerusform>%1 के लिए %n लिसनर</numerusform>
            <numerusform>%1 के लिए %n लिसनर</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::ThreadListDelegate</name>
    <message>
        <source>%1 s</source>
        <translation>%1 सेकंड</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 मिनट %2 सेकंड</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 घंटे %2 मिनट</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>कतार में</translation>
    </message>
    <message>
        <source>→ you</source>
        <translation>→ आप</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>owner: %1</source>
        <translation>स्वामी: %1</translation>
    </message>
</context>
<context>
    <name>ui::UserPanel</name>
    <message>
        <source>yes</source>
        <translation>हाँ</translation>
    </message>
    <message>
        <source>no</source>
        <translation>नहीं</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(कोई नहीं)</translation>
    </message>
    <message>
        <source>Fetch the user again</source>
        <translation>उपयोगकर्ता को फिर से प्राप्त करें</translation>
    </message>
    <message>
        <source>Refresh user</source>
        <translation>उपयोगकर्ता रीफ़्रेश करें</translation>
    </message>
    <message>
        <source>User</source>
        <translation>उपयोगकर्ता</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>अज्ञात</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>उपयोगकर्ता नाम</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>उपयोगकर्ता id</translation>
    </message>
    <message>
        <source>Device platform</source>
        <translation>डिवाइस प्लैटफ़ॉर्म</translation>
    </message>
    <message>
        <source>Third-party user id</source>
        <translation>तृतीय-पक्ष उपयोगकर्ता id</translation>
    </message>
    <message>
        <source>ECT user id</source>
        <translation>ECT उपयोगकर्ता id</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>नाम:</translation>
    </message>
    <message>
        <source>User id:</source>
        <translation>उपयोगकर्ता id:</translation>
    </message>
    <message>
        <source>Platform:</source>
        <translation>प्लैटफ़ॉर्म:</translation>
    </message>
    <message>
        <source>Third-party id:</source>
        <translation>तृतीय-पक्ष id:</translation>
    </message>
    <message>
        <source>ECT user id:</source>
        <translation>ECT उपयोगकर्ता id:</translation>
    </message>
    <message>
        <source>Details available</source>
        <translation>उपलब्ध विवरण</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>सभी चुनें (&amp;A)</translation>
    </message>
    <message>
        <source>Select all details</source>
        <translation>सभी विवरण चुनें</translation>
    </message>
    <message>
        <source>Re&amp;quest details</source>
        <translation>विवरण का अनुरोध करें (&amp;Q)</translation>
    </message>
    <message>
        <source>Request details</source>
        <translation>विवरण का अनुरोध करें</translation>
    </message>
    <message>
        <source>Ask TRACT for the checked details</source>
        <translation>चुने गए विवरण TRACT से माँगें</translation>
    </message>
    <message>
        <source>User request running</source>
        <translation>उपयोगकर्ता अनुरोध चल रहा है</translation>
    </message>
    <message>
        <source>User panel error</source>
        <translation>उपयोगकर्ता पैनल त्रुटि</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>विवरण</translation>
    </message>
    <message>
        <source>Received details</source>
        <translation>प्राप्त विवरण</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>विवरण</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>मान</translation>
    </message>
    <message>
        <source>No details available</source>
        <translation>कोई विवरण उपलब्ध नहीं</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
</TS>
