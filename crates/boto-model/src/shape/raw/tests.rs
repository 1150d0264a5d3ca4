use super::*;

#[test]
fn escapes_namespaces_and_unknown_keys() {
    let doc = br#"{
      "version": "2.0", "documentation": "ignored",
      "metadata": {"protocol": "rest-xml", "awsQueryCompatible": {}, "newThing": [1, {"x": null}]},
      "operations": {"Op": {"http": {"method": "PUT", "requestUri": "/{K+}?x"},
          "input": {"shape": "In", "locationName": "Req", "xmlNamespace": {"uri": "urn:x"}},
          "authtype": "v4-unsigned-body", "staticContextParams": {"A": {"value": true}}}},
      "shapes": {
        "In": {"type": "structure", "members": {
            "K": {"shape": "S", "location": "uri", "locationName": "K\u002b\"q\""},
            "T": {"shape": "S", "xmlNamespace": "urn:bare", "timestampFormat": "rfc822", "futureTrait": 1}}},
        "S": {"type": "string", "enum": ["a\nb", "c"], "min": 1}
      }}"#;
    let m = ServiceModel::from_slice("x", doc).unwrap();
    assert!(m.metadata.aws_query_compatible);
    let op = m.operation("Op").unwrap();
    assert!(op.unsigned_payload);
    assert_eq!(op.auth, vec![Box::<str>::from("aws.auth#sigv4")]);
    assert_eq!(
        op.static_context_params[0].1,
        serde_json::json!({"value": true})
    );
    let input = op.input.as_ref().unwrap();
    assert_eq!(
        input.traits.xml_namespace.as_ref().map(|n| n.uri.as_str()),
        Some("urn:x")
    );
    let st = m.shape(input.target).as_structure().unwrap();
    assert_eq!(
        st.members[0].traits.location_name.as_deref(),
        Some("K+\"q\"")
    );
    assert_eq!(
        st.members[1].traits.timestamp_format,
        Some(TimestampFormat::Rfc822)
    );
    assert_eq!(
        st.members[1]
            .traits
            .xml_namespace
            .as_ref()
            .map(|n| n.uri.as_str()),
        Some("urn:bare")
    );
    let s = m.shape_by_name("S").unwrap();
    assert_eq!(s.enum_values[0].as_ref(), "a\nb");
    assert_eq!(s.min, Some(1.0));
}

#[test]
fn malformed_models_are_errors() {
    for bad in [
        &br#"{"shapes": {"A": {"type": 3}}, "metadata": {"protocol": "json"}}"#[..],
        br#"{"shapes": {"A": {"type": "list"}}, "metadata": {"protocol": "json"}}"#,
        br#"{"shapes": {"A": {"type": "weird"}}, "metadata": {"protocol": "json"}}"#,
        br#"{"shapes": {}, "metadata": {}}"#,
        br#"{"shapes": [], "metadata": {"protocol": "json"}}"#,
        br#"{"operations": {"O": {"input": {"shape": "Missing"}}}, "metadata": {"protocol": "json"}}"#,
        b"\xff\xfe",
        b"{",
    ] {
        assert!(ServiceModel::from_slice("x", bad).is_err(), "{}", String::from_utf8_lossy(bad));
        if let Ok(j) = serde_json::from_slice::<Json>(bad) {
            assert!(ServiceModel::from_json("x", &j).is_err());
        }
    }
}
