// The dashboard's edit forms against the printed schema: every input field of
// each update… mutation has a form field of the matching kind (enums as
// selects offering exactly the enum's values), and the form has no field the
// API does not take.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildSchema,
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  getNullableType,
  type GraphQLInputType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.ts';

interface FormField {
  name: string;
  kind: string;
  options?: { value: string }[];
  fixed?: string;
}

async function editFields() {
  // A plain browser module, loaded as the browser loads it.
  const modulePath = pathToFileURL(path.join(ROOT, 'src/dashboard/public/js/edit-fields.js')).href;
  return (await import(modulePath)) as {
    EDITABLE: Record<string, { fields: FormField[] }>;
    UPDATE_INPUTS: Record<string, { input: string; ref: string }>;
    ENUMS: Record<string, string[]>;
  };
}

/** The form kinds that can enter a value of this input type. */
function kindsFor(type: GraphQLInputType): string[] {
  const nullable = getNullableType(type);
  if (nullable instanceof GraphQLList) {
    const item = getNamedType(nullable);
    if (item.name === 'String') return ['list'];
    if (item.name === 'AdvertiserAdminInput') return ['admins'];
    return [];
  }
  if (nullable instanceof GraphQLEnumType) return ['select'];
  switch (getNamedType(nullable).name) {
    case 'String':
      return ['text', 'textarea'];
    case 'Date':
      return ['date'];
    case 'Boolean':
      return ['checkbox'];
    case 'Int':
      return ['integer'];
    case 'Float':
      return ['number'];
    default:
      return [];
  }
}

describe('the dashboard edit forms', () => {
  const schema = buildSchema(readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));

  it('cover every input field of every update… mutation, each with a control of its type', async () => {
    const { EDITABLE, UPDATE_INPUTS } = await editFields();
    expect(Object.keys(UPDATE_INPUTS).sort()).toEqual(Object.keys(EDITABLE).sort());
    for (const [type, { input, ref }] of Object.entries(UPDATE_INPUTS)) {
      const inputType = schema.getType(input);
      expect(inputType, input).toBeInstanceOf(GraphQLInputObjectType);
      const schemaFields = (inputType as GraphQLInputObjectType).getFields();
      expect(Object.keys(schemaFields), `${input} names the entity by ${ref}`).toContain(ref);
      const formFields = EDITABLE[type]!.fields;
      expect(formFields.map((f) => f.name).sort(), `${type}: the form's fields are ${input}'s`).toEqual(
        Object.keys(schemaFields)
          .filter((name) => name !== ref)
          .sort(),
      );
      for (const f of formFields) {
        expect(kindsFor(schemaFields[f.name]!.type), `${input}.${f.name}`).toContain(f.kind);
        if (f.kind === 'admins') expect(f.fixed, 'admins are shown, and the form says why they cannot be edited').toMatch(/Broadstreet/);
      }
    }
  });

  it("offers exactly the schema's values in each enum's select", async () => {
    const { EDITABLE, UPDATE_INPUTS, ENUMS } = await editFields();
    const selects = Object.entries(EDITABLE).flatMap(([type, spec]) =>
      spec.fields.filter((f) => f.kind === 'select').map((f) => ({ input: UPDATE_INPUTS[type]!.input, field: f })),
    );
    expect(selects.map((s) => s.field.name).sort()).toEqual(['displayType', 'impressionMaxType', 'pacingType']);
    for (const { input, field } of selects) {
      const enumType = getNullableType((schema.getType(input) as GraphQLInputObjectType).getFields()[field.name]!.type);
      expect(enumType).toBeInstanceOf(GraphQLEnumType);
      const values = (enumType as GraphQLEnumType).getValues().map((v) => v.name);
      expect(field.options!.map((o) => o.value).sort(), `${input}.${field.name}`).toEqual([...values].sort());
      expect(ENUMS[(enumType as GraphQLEnumType).name]!.slice().sort()).toEqual([...values].sort());
    }
  });
});
